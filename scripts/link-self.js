#!/usr/bin/env node
// Links node_modules/alchemy-telemetry to this package, so that the repository's own hosts (the
// bench's CLIs, the test fixtures, the sample CLI) import it by its name and Node resolves it as
// it does for an installed dependency: through node_modules and package.json "main". The package
// has no "exports" map, which a package needs to import itself by name (see README, Performance:
// Node checks every exports target against a regular expression that costs a host milliseconds).
import { lstatSync, mkdirSync, realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const link = join(root, "node_modules", "alchemy-telemetry");

const existing = lstatSync(link, { throwIfNoEntry: false });
if (existing === undefined) {
  mkdirSync(join(root, "node_modules"), { recursive: true });
  // A junction on Windows needs no privilege; elsewhere the type is ignored.
  symlinkSync("..", link, "junction");
} else if (!existing.isSymbolicLink() || realpathSync(link) !== realpathSync(root)) {
  console.error(`link-self: ${link} exists and is not a link to this package; remove it`);
  process.exit(1);
}
