import assert from "node:assert/strict";
import { test } from "node:test";
import { isInHomesFolder } from "../src/event/path-text.js";
import { isLowerHex, isProjectId, isUuidV4 } from "../src/identity/hex-text.js";
import { random } from "../src/identity/random.js";

// The regular expressions these checks replaced, as oracles.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HEX_16 = /^[0-9a-f]{16}$/;
const HEX_64 = /^[0-9a-f]{64}$/;
const HOMES = /^home(?:\d{1,2}|s)?$/;

/** Every text one character away from `valid`: each position replaced, dropped or doubled. */
function neighbours(valid: string): string[] {
  const out = [valid, `${valid}\n`, ` ${valid}`, valid.toUpperCase()];
  for (let index = 0; index < valid.length; index++) {
    for (const char of "0459abfgA-_ \u0660") {
      out.push(valid.slice(0, index) + char + valid.slice(index + 1));
    }
    out.push(valid.slice(0, index) + valid.slice(index + 1));
    out.push(valid.slice(0, index) + valid.charAt(index) + valid.slice(index));
  }
  return out;
}

test("a UUID is what the version 4 pattern says, character for character", () => {
  let accepted = 0;
  for (let round = 0; round < 20; round++) {
    for (const text of neighbours(random.uuid())) {
      assert.equal(isUuidV4(text), UUID_V4.test(text), JSON.stringify(text));
      if (UUID_V4.test(text)) accepted++;
    }
  }
  assert.ok(accepted > 20 * 10, `${accepted}`);
  assert.equal(isUuidV4("11111111-1111-4111-8111-111111111111"), true);
  assert.equal(isUuidV4("11111111-1111-4111-c111-111111111111"), false, "variant");
  assert.equal(isUuidV4("11111111-1111-1111-8111-111111111111"), false, "version");
});

test("keys and project ids are exactly 16 and 64 lowercase hex digits", () => {
  const hex = (count: number) => random.bytes(count / 2).toString("hex");
  for (let round = 0; round < 10; round++) {
    for (const text of neighbours(hex(16))) {
      assert.equal(isLowerHex(text, 16), HEX_16.test(text), JSON.stringify(text));
    }
    for (const text of neighbours(hex(64))) {
      assert.equal(isProjectId(text), HEX_64.test(text), JSON.stringify(text));
    }
  }
  assert.equal(isProjectId(""), false);
});

test("the folders of home directories are home, homes and home followed by one or two digits", () => {
  const folders = ["home", "homes", "home2", "home12", "home123", "home1s", "homess", "hom", ""];
  for (const rest of [
    "",
    "s",
    "0",
    "9",
    "00",
    "99",
    "999",
    "a",
    "s1",
    "\u0661",
    " ",
    "/",
    ":",
    "1:",
  ]) {
    folders.push(`home${rest}`, `xhome${rest}`, `Home${rest}`);
  }
  for (const folder of folders) {
    const path = `/srv/${folder}/ada`;
    const expected = folder.toLowerCase() === "users" || HOMES.test(folder.toLowerCase());
    // A folder with a separator in it is two folders: only the last one counts.
    if (folder.includes("/")) continue;
    assert.equal(isInHomesFolder(path), expected, path);
  }
  assert.equal(isInHomesFolder("/home/ada"), true);
  assert.equal(isInHomesFolder("C:\\Users\\ada\\"), true);
});
