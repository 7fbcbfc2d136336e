// Peer: posthog-node, `capture` per event, then `await shutdown()`. Host: BENCH_POSTHOG_HOST.
import { PostHog } from "posthog-node";
import { runWork } from "./cli-work.js";

const client = new PostHog("phc_bench", { host: process.env.BENCH_POSTHOG_HOST });
runWork((event, properties) => client.capture({ distinctId: "bench-user", event, properties }));
await client.shutdown();
