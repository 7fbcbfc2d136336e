// Peer: a plain `await fetch` of each event as it happens. Endpoint: BENCH_URL.
import { runWork } from "./cli-work.js";
import { eventLine, post } from "./peer-events.js";

const pending = [];
runWork((event, properties) => pending.push(eventLine(event, properties)));
// The work is synchronous; the sends happen in its order, each awaited before the next.
for (const line of pending) await post(line);
