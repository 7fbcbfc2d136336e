// Peer: events kept in memory, one `await fetch` of the whole batch at exit. Endpoint: BENCH_URL.
import { runWork } from "./cli-work.js";
import { eventLine, post } from "./peer-events.js";

const lines = [];
runWork((event, properties) => lines.push(eventLine(event, properties)));
await post(lines.join(""));
