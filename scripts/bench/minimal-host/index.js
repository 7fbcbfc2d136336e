// The floor of the host-overhead workload: the least a telemetry package built like this one
// (a spool, one line appended per event, a detached uploader) can make a host do, written for
// speed alone. Each line carries the wire format's fields (the project id a fixed placeholder);
// the first event reads the stored id, looks for the repository and takes the context from
// node:os; every event is appended with one write and checked with one stat (that the spool is
// still the file written to, as a claim by rename requires); the exit starts the shell that
// cli-spawn-only.js starts, from the telemetry directory as the package starts its uploader, and
// the shell exits. It has none of what the package adds to that: no redaction, no opt-out or
// stored choice, no limits or drop counts, no project id or CI detection, no code cache, no
// uploader; so it is below what any host that keeps the SPEC can do. Installed beside the
// package with an exports map of the same kind, it pays what importing any such package costs.
// The bench runs it beside the package (host-overhead.js).
const fs = process.getBuiltinModule("node:fs");
const os = process.getBuiltinModule("node:os");

const HEX = "0123456789abcdef";
const POOL_BYTES = 1024;
let pool = Buffer.alloc(0);
let used = 0;

/** A version 4 id from the kernel's generator, read a KiB at a time (node:crypto costs ~3 ms). */
function uuid() {
  if (used + 16 > pool.length) {
    pool = Buffer.alloc(POOL_BYTES);
    const fd = fs.openSync("/dev/urandom", "r");
    fs.readSync(fd, pool);
    fs.closeSync(fd);
    used = 0;
  }
  let id = "";
  for (let index = 0; index < 16; index++) {
    let value = pool[used + index];
    if (index === 6) value = (value & 0x0f) | 0x40;
    else if (index === 8) value = (value & 0x3f) | 0x80;
    if (index === 4 || index === 6 || index === 8 || index === 10) id += "-";
    id += HEX[value >> 4] + HEX[value & 15];
  }
  used += 16;
  return id;
}

function telemetryDir() {
  const { XDG_CONFIG_HOME, HOME } = process.env;
  if (!XDG_CONFIG_HOME && !HOME) throw new Error("no home directory"); // track() records nothing
  return `${XDG_CONFIG_HOME || `${HOME}/.config`}/alchemy/telemetry`;
}

function readOrMakeId(dir) {
  try {
    return fs.readFileSync(`${dir}/id`, "utf8").trim();
  } catch {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const id = uuid();
    fs.writeFileSync(`${dir}/id`, id, { mode: 0o600 });
    return id;
  }
}

function insideRepository(start) {
  for (let dir = start; ; dir = dir.slice(0, dir.lastIndexOf("/")) || "/") {
    if (fs.existsSync(`${dir}/.git`)) return true;
    if (dir === "/") return false;
  }
}

function openSession({ version, phase }) {
  const dir = telemetryDir();
  const userId = readOrMakeId(dir);
  const context = JSON.stringify({
    os: os.platform(),
    osVersion: os.release(),
    arch: os.arch(),
    cpus: os.availableParallelism(),
    memoryMb: Math.round(os.totalmem() / 1048576),
    runtime: "node",
    runtimeVersion: process.versions.node,
    ci: null,
    version,
    phase,
  });
  const projectId = insideRepository(process.cwd()) ? '"local"' : "null";
  const shared = `"userId":"${userId}","projectId":${projectId},"runId":"${uuid()}"`;
  return { dir, shared, context, ...openSpool(`${dir}/spool.ndjson`) };
}

function openSpool(spool) {
  const fd = fs.openSync(spool, "a", 0o600);
  return { spool, fd, inode: fs.fstatSync(fd).ino };
}

function startDetachedShell(cwd) {
  const { Process } = process.binding("process_wrap");
  const handle = new Process();
  handle.onexit = () => handle.close();
  const failed = handle.spawn({
    file: "/bin/sh",
    args: ["/bin/sh", "-c", "sleep 0.05 || :"],
    cwd,
    stdio: [{ type: "ignore" }, { type: "ignore" }, { type: "ignore" }],
    detached: true,
    windowsHide: true,
  });
  if (failed !== 0) handle.close();
  else handle.unref();
}

export function createTelemetry(options) {
  let session;
  let shutDown = false;
  return {
    track(event, properties = {}) {
      try {
        session ??= openSession(options);
        const { shared, context } = session;
        const time = new Date().toISOString();
        const line = `{"id":"${uuid()}","event":"${event}","timestamp":"${time}",${shared},"properties":${JSON.stringify(properties)},"context":${context}}\n`;
        fs.writeSync(session.fd, line);
        // The check a claim by rename needs: the line may have gone to the claimed file, so it
        // goes again to a new spool. (Nothing claims this one in the bench.)
        if (fs.statSync(session.spool).ino !== session.inode) {
          fs.closeSync(session.fd);
          Object.assign(session, openSpool(session.spool));
          fs.writeSync(session.fd, line);
        }
      } catch {
        // The floor records what it can.
      }
    },
    shutdown() {
      if (shutDown || session === undefined) return;
      shutDown = true;
      try {
        fs.closeSync(session.fd);
        startDetachedShell(session.dir);
      } catch {
        // No shell, no uploader.
      }
    },
  };
}
