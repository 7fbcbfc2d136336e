// Finds the detached uploaders that this bench's hosts started, waits for them to go quiet,
// and ends them at the end. An uploader is ours when its command line runs the uploader entry
// and its working directory, its telemetry directory, lies under the bench's own temporary root.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { waitUntil } from "./proc.js";

const ENTRY = "dist/src/uploader/main.js";

/** Live uploaders ({ pid, dir }) whose telemetry directory is under `root`. */
export function listUploaders(root) {
  const found = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      if (!cmdline.includes(ENTRY)) continue;
      // From its start, in `sh -c`, whose environment does not name the directory yet.
      const path = readlinkSync(`/proc/${name}/cwd`);
      // Still in `sh -c 'sleep 0.05; exec node …'`: it has not started yet.
      const starting = !cmdline.startsWith(process.execPath);
      if (path.startsWith(root)) found.push({ pid: Number(name), dir: path, starting });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** utime + stime in clock ticks, or undefined when the process is gone (or a zombie). */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z") return undefined;
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Waits until every uploader under `root` has exited or sits idle (no CPU used over three
 * polls 20 ms apart: waiting on a hung socket or a retry backoff), so that one run's uploader
 * never competes for the CPU with the next timed run. Returns what it saw.
 */
export async function quiesceUploaders(root, { timeoutMs = 10_000 } = {}) {
  const history = new Map();
  const started = Date.now();
  const done = await waitUntil(
    () => {
      const live = listUploaders(root);
      let busy = 0;
      for (const { pid, starting } of live) {
        if (starting) {
          busy += 1;
          continue;
        }
        const ticks = cpuTicks(pid);
        const seen = history.get(pid) ?? [];
        seen.push(ticks);
        history.set(pid, seen.slice(-4));
        const recent = history.get(pid);
        const idle =
          ticks === undefined || (recent.length >= 4 && recent.every((t) => t === ticks));
        if (!idle) busy += 1;
      }
      return busy === 0 ? { live: live.length } : undefined;
    },
    { timeoutMs, intervalMs: 20 },
  );
  return { quiet: done !== undefined, live: done?.live ?? -1, waitedMs: Date.now() - started };
}

/** Ends every uploader under `root`: SIGTERM, then SIGKILL for any still alive after 2 s. */
export async function killUploaders(root) {
  const pids = listUploaders(root).map(({ pid }) => pid);
  for (const pid of pids) signal(pid, "SIGTERM");
  const gone = await waitUntil(() => listUploaders(root).length === 0, { timeoutMs: 2_000 });
  if (!gone) for (const { pid } of listUploaders(root)) signal(pid, "SIGKILL");
  await waitUntil(() => listUploaders(root).length === 0, { timeoutMs: 2_000 });
  return pids.length;
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
