import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { CI_ENV_NAMES, mayBeCi } from "../src/identity/ci-env-names.js";

const require = createRequire(import.meta.url);

type VendorEnv = string | { env: string } | { any: string[] } | Record<string, string>;

function namesIn(entry: VendorEnv): string[] {
  if (typeof entry === "string") return [entry];
  if ("env" in entry && typeof entry.env === "string") return [entry.env];
  if ("any" in entry && Array.isArray(entry.any)) return entry.any;
  return Object.keys(entry);
}

test("the prefilter knows every variable the installed ci-info reads", () => {
  const vendors = require("ci-info/vendors.json") as { env: VendorEnv | VendorEnv[] }[];
  const vendorNames = vendors.flatMap((vendor) =>
    (Array.isArray(vendor.env) ? vendor.env : [vendor.env]).flatMap(namesIn),
  );
  const source = readFileSync(require.resolve("ci-info"), "utf8");
  const genericNames = [...source.matchAll(/\benv\.([A-Za-z_]+)\b/g)].map(
    (match) => match[1] ?? "",
  );
  const missing = [...new Set([...vendorNames, ...genericNames])].filter(
    (name) => !CI_ENV_NAMES.includes(name),
  );
  assert.deepEqual(missing, []);
});

test("no CI variable set means not CI, without asking ci-info", () => {
  assert.equal(mayBeCi({ PATH: "/usr/bin", HOME: "/home/x" }), false);
  assert.equal(mayBeCi({ GITHUB_ACTIONS: "true" }), true);
  assert.equal(mayBeCi({ CI: "1" }), true);
  // npm sets NODE for every script; only Heroku's path says CI.
  assert.equal(mayBeCi({ NODE: "/usr/local/bin/node" }), false);
  assert.equal(mayBeCi({ NODE: "/app/.heroku/node/bin/node" }), true);
});
