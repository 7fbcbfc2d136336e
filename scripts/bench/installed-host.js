// The host section's CLIs, run as a user's CLI runs: from an app of their own, with the package
// installed in its node_modules (the files npm unpacks), so that Node resolves the name as for
// any installed dependency: the node_modules lookup, the package's own package.json, its exports
// map. Run from inside this repository, the same import would be the package's self-reference,
// which skips that lookup and that read (about 0.4 ms less here, timed in process) and so would
// understate what a host pays.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BENCH_DIR, ROOT } from "./paths.js";

/** What the hosts of the host section run, with what they import beside them. */
const HOST_SCRIPTS = [
  "cli-with-telemetry.js",
  "cli-without-telemetry.js",
  "cli-spawn-only.js",
  "cli-minimal-host.js",
  "cli-work.js",
  "exit-probe.js",
];

/** The files of the package's tarball, as `npm pack` lists them. */
function publishedFiles() {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  return packed.files.map((file) => file.path);
}

/** Makes the app under the bench's temporary root; `script(name)` is the path of a host. */
export function installHostApp(temp) {
  const dir = temp.dir("host-app");
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "bench-host", private: true, type: "module" })}\n`,
  );
  const installed = join(dir, "node_modules", "alchemy-telemetry");
  for (const path of publishedFiles()) {
    mkdirSync(dirname(join(installed, path)), { recursive: true });
    cpSync(join(ROOT, path), join(installed, path));
  }
  // The uploader's dependencies, found from the package's own directory as npm may nest them;
  // the host path loads none.
  symlinkSync(join(ROOT, "node_modules"), join(installed, "node_modules"), "junction");
  // The floor the package is measured beside, installed as a dependency of its own.
  cpSync(join(BENCH_DIR, "minimal-host"), join(dir, "node_modules", "minimal-host"), {
    recursive: true,
  });
  for (const name of HOST_SCRIPTS) cpSync(join(BENCH_DIR, name), join(dir, name));
  return { dir, script: (name) => join(dir, name) };
}
