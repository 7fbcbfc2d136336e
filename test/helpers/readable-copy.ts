// Runs as another uid need the package where that uid can read it. A clean clone may sit under a
// directory only root can enter (a 0700 temp dir, /root), so the scenarios that run a host as
// `nobody` use a copy of what a host and its uploader load (package.json, dist/ and the runtime
// dependencies) in a world-readable temp directory, made once per test process.
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** A top-level entry of the lock file: `node_modules/name` or `node_modules/@scope/name`. */
const TOP_LEVEL = /^node_modules\/(?:@[^/]+\/)?[^/]+$/;

let copy: string | undefined;

/** The root of the world-readable copy. */
export function readablePackageRoot(): string {
  if (copy !== undefined) return copy;
  const root = mkdtempSync(join(tmpdir(), "alchemy-readable-"));
  process.once("exit", () => {
    rmSync(root, { recursive: true, force: true });
  });
  chmodSync(root, 0o755);
  copyPackage(root);
  copy = root;
  return root;
}

/** Copies what a host and its uploader load (package.json, dist/, runtime deps) into `root`. */
export function copyPackage(root: string): void {
  for (const path of ["package.json", "dist", ...runtimeDependencies()]) {
    cpSync(join(PACKAGE_ROOT, path), join(root, path), { recursive: true });
  }
}

/** A module of the package inside the copy, as a file URL to import. */
export function readableModule(path: string): string {
  return pathToFileURL(join(readablePackageRoot(), path)).href;
}

/** The counting host fixture inside the copy. */
export function readableCountingHost(): string {
  return join(readablePackageRoot(), "dist", "test", "fixtures", "counting-host.js");
}

function runtimeDependencies(): string[] {
  const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => TOP_LEVEL.test(path) && entry.dev !== true)
    .map(([path]) => path);
}
