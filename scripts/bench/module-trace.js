// Preloaded with `node --import`: records every ES module resolved (loader hooks), and at exit
// every built-in module the process loaded (process.moduleLoadList) and every CommonJS module
// in the require cache (which Node 20's hooks do not see). Output: BENCH_TRACE_OUT, NDJSON.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const out = process.env.BENCH_TRACE_OUT;
register("./module-trace-hooks.js", import.meta.url, { data: { out } });

process.on("exit", () => {
  const builtins = process.moduleLoadList
    .filter((entry) => entry.startsWith("NativeModule "))
    .map((entry) => entry.slice("NativeModule ".length));
  const commonjs = Object.keys(createRequire(import.meta.url).cache);
  appendFileSync(out, `${JSON.stringify({ builtins, commonjs })}\n`);
});
