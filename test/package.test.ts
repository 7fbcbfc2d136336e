// What a host gets when it installs the package: on this Node, the code-cache entry by the
// exports map's module-sync condition, and a tarball that holds every file each entry reads.
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
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
};
const inPackage = (path: string) => path.replace(/^\.\//, "");

/** Node 20.19+ and 22.12+ resolve the module-sync condition, as they can require() ES modules. */
const MODULE_SYNC = {
  skip:
    (process.features as { require_module?: boolean }).require_module !== true &&
    "this Node has no module-sync condition",
};

test(
  "a host importing the package by name on Node 20.19+, 22.12+ gets the code-cache entry",
  MODULE_SYNC,
  () => {
    assert.equal(
      fileURLToPath(import.meta.resolve("alchemy-telemetry")),
      join(ROOT, "dist", "src", "index.bundle.js"),
    );
  },
);

test("the published tarball holds every entry, the host code they read, the types and the bin", () => {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as [{ files: { path: string }[] }];
  const files = new Set(packed.files.map((file) => file.path));
  const targets = Object.values(manifest.exports).flatMap((target) =>
    typeof target === "string" ? [target] : Object.values(target),
  );
  for (const path of [
    ...targets,
    manifest.main,
    manifest.types,
    "dist/src/host-code.js",
    "dist/src/uploader/main.js",
    "dist/src/identity/project-id-main.js",
    ...Object.values(manifest.bin),
  ].map(inPackage)) {
    assert.ok(files.has(path), `${path} is not in the tarball`);
  }
  const stray = [...files].filter((path) => path.startsWith("dist/test/") || path.endsWith(".map"));
  assert.deepEqual(stray, [], "tests and source maps stay out of the tarball");
});
