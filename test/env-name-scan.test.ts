import assert from "node:assert/strict";
import { test } from "node:test";
import { namesThatMayBeSecret } from "../src/event/env-name-scan.js";
import { mayBeSecretEnvName } from "../src/event/secret-keys.js";

/** The one-by-one test that the joined search must agree with, name for name and in order. */
const oneByOne = (names: readonly string[]) => names.filter(mayBeSecretEnvName);

test("the names found together are those found one by one: this process's environment", () => {
  const names = Object.keys(process.env);
  assert.deepEqual(namesThatMayBeSecret(names), oneByOne(names));
});

test("...and crafted names: endings, PAT and PATH, PWD, case, ß, empty names, duplicates", () => {
  const names = [
    ...["PATH", "PWD", "OLDPWD", "pwd", "Pwd", "HOME", "npm_config_user_agent", "", ""],
    ...["GITHUB_TOKEN", "github_token", "DATABASE_URL", "API_URI", "URL", "_URL", "X_URLS"],
    ...["GH_PAT", "PAT", "PATH_PAT", "PATHS", "MY_PAT_FILE", "PATH_TOKEN", "SSH_AUTH_SOCK"],
    ...["straße_key", "ﬁle_secret", "ı_pass", "SK", "DSN_", "GITHUB_TOKEN", "a", "z_pw"],
  ];
  assert.deepEqual(namesThatMayBeSecret(names), oneByOne(names));
  assert.deepEqual(namesThatMayBeSecret([]), []);
  assert.deepEqual(namesThatMayBeSecret(["PATH", "HOME", "PWD"]), []);
});

test("...and a host's env keys holding the separator, where every name is tested", () => {
  const names = ["A\0TOKEN", "X\0PWD", "PWD\0", "B", "C_URL\0D", "E\0_URL", "\0", "PAT\0H"];
  assert.deepEqual(namesThatMayBeSecret(names), oneByOne(names));
  for (let index = 0; index < names.length; index++) {
    const one = names.slice(index, index + 1);
    assert.deepEqual(namesThatMayBeSecret(["HOME", ...one]), oneByOne(["HOME", ...one]));
  }
});

test("...and 3,000 random environments made of the hints' pieces", () => {
  let seed = 0x9e3779b9;
  const next = (below: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % below;
  };
  const pieces = ["PA", "T", "H", "PW", "D", "OLD", "_", "UR", "L", "I", "TOK", "EN", "ke", "y"];
  const more = ["S", "K", "\0", "ß", "a", "AUTH", "SIGN", "DSN", "OTP", "X", "9", "-", " "];
  const all = [...pieces, ...more];
  for (let run = 0; run < 3_000; run++) {
    const names = Array.from({ length: next(12) }, () =>
      Array.from({ length: next(5) }, () => all[next(all.length)]).join(""),
    );
    assert.deepEqual(namesThatMayBeSecret(names), oneByOne(names), JSON.stringify(names));
  }
});
