// The host CLI without the package, plus the one thing that a run starting an uploader adds and
// that no code of ours can take away: a detached child. It is started as the package starts the
// uploader on POSIX (Node's process handle, `/bin/sh -c 'sleep 0.05 …'`, stdio ignored, its own
// session, unreferenced), but the shell then exits instead of starting node. Its difference over
// the plain CLI is what the fork itself costs a host on this machine, measured in the same run.
import { runWork } from "./cli-work.js";

runWork(() => undefined);

const SHELL = "/bin/sh";
const ARGS = [SHELL, "-c", "sleep 0.05 || :"];
const binding = typeof process.binding === "function" ? process.binding("process_wrap") : undefined;
if (binding && process.platform !== "win32") {
  const handle = new binding.Process();
  handle.onexit = () => handle.close();
  const failed = handle.spawn({
    file: SHELL,
    args: ARGS,
    cwd: process.cwd(),
    // No pairs: libuv leaves the child the process's own environment, as the package does.
    envPairs: undefined,
    stdio: [{ type: "ignore" }, { type: "ignore" }, { type: "ignore" }],
    detached: true,
    windowsHide: true,
  });
  if (failed !== 0) handle.close();
  else handle.unref();
} else {
  // Loaded only here: node:child_process alone costs a host about 2 ms.
  const { spawn } = await import("node:child_process");
  spawn(SHELL, ARGS.slice(1), { detached: true, stdio: "ignore" }).unref();
}
