import assert from "node:assert/strict";
import * as fs from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createSpoolAppender, type AppendFs } from "../src/spool/append.js";
import { makeTempDir } from "./helpers/temp.js";

const line = (id: string) => Buffer.from(`{"id":"${id}"}\n`);

test("appends whole lines and creates the file 0600", (t) => {
  const path = join(makeTempDir(t), "spool.ndjson");
  const appender = createSpoolAppender(path);
  assert.equal(appender.append(line("a")), "appended");
  assert.equal(appender.append(line("b")), "appended");
  appender.close();
  assert.equal(fs.readFileSync(path, "utf8"), '{"id":"a"}\n{"id":"b"}\n');
  assert.equal(fs.statSync(path).mode & 0o777, 0o600);
});

test("late writer: a claim between write and check makes the line land in the new spool too", (t) => {
  const dir = makeTempDir(t);
  const path = join(dir, "spool.ndjson");
  const claimed = join(dir, "claimed.ndjson");
  let claimNow = false;
  const port: AppendFs = {
    ...fs,
    writeSync: ((fd: number, buffer: Buffer) => {
      const written = fs.writeSync(fd, buffer);
      if (claimNow) {
        claimNow = false;
        fs.renameSync(path, claimed); // The uploader claims right after our write.
      }
      return written;
    }) as AppendFs["writeSync"],
  };
  const appender = createSpoolAppender(path, { fs: port });
  appender.append(line("before"));
  claimNow = true;
  assert.equal(appender.append(line("raced")), "appended");
  appender.append(line("after"));
  appender.close();
  assert.equal(fs.readFileSync(claimed, "utf8"), '{"id":"before"}\n{"id":"raced"}\n');
  assert.equal(fs.readFileSync(path, "utf8"), '{"id":"raced"}\n{"id":"after"}\n');
});

test("a writer that opened before the claim and writes after it re-appends", (t) => {
  const dir = makeTempDir(t);
  const path = join(dir, "spool.ndjson");
  const appender = createSpoolAppender(path);
  appender.append(line("one"));
  fs.renameSync(path, join(dir, "claimed.ndjson"));
  fs.rmSync(join(dir, "claimed.ndjson")); // The uploader sent and deleted it.
  appender.append(line("two"));
  appender.close();
  assert.equal(fs.readFileSync(path, "utf8"), '{"id":"two"}\n');
});

test("the spool stops at its cap and reports spool-full", (t) => {
  const path = join(makeTempDir(t), "spool.ndjson");
  const appender = createSpoolAppender(path, { maxBytes: 30 }); // Two 14-byte lines fit, a third does not.
  assert.equal(appender.append(line("aaaa")), "appended");
  assert.equal(appender.append(line("bbbb")), "appended");
  assert.equal(appender.append(line("cccc")), "spool-full");
  appender.close();
  assert.equal(fs.statSync(path).size, 28);
});

test("a short write (disk full) is terminated so the next line stays whole, and reported", (t) => {
  const path = join(makeTempDir(t), "spool.ndjson");
  let short = true;
  const port: AppendFs = {
    ...fs,
    writeSync: ((fd: number, buffer: Buffer | string) => {
      if (short && typeof buffer !== "string") {
        short = false;
        return fs.writeSync(fd, buffer.subarray(0, 5));
      }
      return typeof buffer === "string" ? fs.writeSync(fd, buffer) : fs.writeSync(fd, buffer);
    }) as AppendFs["writeSync"],
  };
  const appender = createSpoolAppender(path, { fs: port });
  assert.equal(appender.append(line("torn")), "write-failed");
  assert.equal(appender.append(line("whole")), "appended");
  appender.close();
  assert.equal(fs.readFileSync(path, "utf8"), '{"id"\n{"id":"whole"}\n');
});

test("ENOSPC and a link planted at the spool path are reported, never thrown", (t) => {
  const dir = makeTempDir(t);
  const port: AppendFs = {
    ...fs,
    writeSync: () => {
      throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    },
  };
  assert.equal(
    createSpoolAppender(join(dir, "a.ndjson"), { fs: port }).append(line("x")),
    "write-failed",
  );
  const target = join(dir, "target.txt");
  fs.writeFileSync(target, "keep me\n");
  fs.symlinkSync(target, join(dir, "spool.ndjson"));
  assert.equal(createSpoolAppender(join(dir, "spool.ndjson")).append(line("x")), "write-failed");
  assert.equal(fs.readFileSync(target, "utf8"), "keep me\n");
});
