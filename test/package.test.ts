// What a host gets when it installs the package: the one entry, found by package.json's "main"
// (no exports map: Node checks each exports target against a regular expression that cost every
// host about 3 ms, README Performance), and a tarball that holds every file the entry reads.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  main: string;
  types: string;
  exports?: unknown;
  bin: Record<string, string>;
};
const entry = (path: string) => path.replace(/^\.\//, "");

test("a host importing the package by name gets the code-cache entry, with no exports map", () => {
  assert.equal(manifest.exports, undefined, "an exports map costs every host Node's target check");
  assert.equal(entry(manifest.main), "dist/src/index.bundle.js");
  // Resolved as for an installed dependency: node_modules/alchemy-telemetry, then "main".
  assert.equal(
    fileURLToPath(import.meta.resolve("alchemy-telemetry")),
    join(ROOT, "dist", "src", "index.bundle.js"),
  );
});

test("the published tarball holds the entry, the host code it reads, the types and the bin", () => {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as [{ files: { path: string }[] }];
  const files = new Set(packed.files.map((file) => file.path));
  for (const path of [
    entry(manifest.main),
    "dist/src/host-code.js",
    "dist/src/uploader/main.js",
    entry(manifest.types),
    ...Object.values(manifest.bin).map(entry),
  ]) {
    assert.ok(files.has(path), `${path} is not in the tarball`);
  }
  const stray = [...files].filter((path) => path.startsWith("dist/test/") || path.endsWith(".map"));
  assert.deepEqual(stray, [], "tests and source maps stay out of the tarball");
});
