// SPEC §7 track(): per-call cost, warm, in one process; and memory over 100,000 calls.
import { baseEnv, script } from "./paths.js";
import { timedRun } from "./proc.js";
import { median, percentile, verdict } from "./stats.js";

export async function measureTrackCost({ temp, cwd }) {
  const scratch = temp.dir("track");
  const result = await timedRun(
    process.execPath,
    ["--expose-gc", script("track-probe.js"), scratch],
    {
      // An unreachable endpoint, in case anything were spawned; the probe leaves nothing pending.
      env: baseEnv({ ALCHEMY_TELEMETRY_URL: "http://127.0.0.1:9/v1/events" }),
      cwd,
      stdout: "pipe",
      timeoutMs: 120_000,
    },
  );
  if (result.code !== 0) throw new Error(`track probe failed: ${result.stderr}`);
  const data = JSON.parse(result.stdout);
  const series = (label, { times, sessions }) => ({
    label,
    calls: times.length,
    medianUs: median(times),
    p99Us: percentile(times, 99),
    maxUs: Math.max(...times),
    sessionOpenUs: sessions.length ? median(sessions) : undefined,
  });
  const timed = [
    series("below the cap (fresh dir every 10k)", data.belowCap),
    series(`spool at the cap (${data.atCap.filledLines} lines; all dropped)`, data.atCap),
  ];
  const loops = [
    { label: "100k, one dir (reaches the cap)", ...data.loopOneDir },
    { label: "100k, fresh dir every 10k", ...data.loopFresh },
  ];
  return {
    timed,
    loops,
    budgets: [verdict("track() median, warm, below the cap", timed[0].medianUs, 20, "µs")],
  };
}
