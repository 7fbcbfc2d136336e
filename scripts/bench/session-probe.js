// Child process: the steps of the host's first track() (openSession in src/session.ts, then
// the first event), each timed on its own in the order the package runs them, in a fresh
// process whose telemetry directory (ALCHEMY_TELEMETRY_DIR) already holds an id. Internal
// functions are reached through their unbundled dist modules (the same code as the package
// entry); a step whose function is missing (the source moved on) is reported. Prints JSON.
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const DIST = fileURLToPath(new URL("../../dist/src/", import.meta.url));
const load = (file) => import(pathToFileURL(join(DIST, file)).href);
await load("index.js"); // The whole unbundled graph, so that no step pays for an import.
const mods = {
  ci: await load("identity/ci-id.js"),
  id: await load("identity/anonymous-id.js"),
  repo: await load("identity/repo-root.js"),
  cache: await load("identity/project-cache.js"),
  context: await load("event/context.js"),
  redact: await load("event/redact.js"),
  append: await load("spool/append.js"),
  build: await load("event/build.js"),
  encode: await load("spool/encode.js"),
  random: await load("identity/random.js"),
};
const dir = process.env.ALCHEMY_TELEMETRY_DIR;
const steps = [];
const state = {};
function step(name, run) {
  const started = process.hrtime.bigint();
  try {
    run();
    steps.push({ step: name, ms: Number(process.hrtime.bigint() - started) / 1e6 });
  } catch (error) {
    steps.push({ step: name, ms: NaN, error: String(error?.message ?? error) });
  }
}

step("ci-info load + detect (identity/ci-id detectCi)", () => (state.ci = mods.ci.detectCi()));
// The directory holds an id: the session reads it and, finding it, makes no mkdir.
step("read anonymous id (readAnonymousId)", () => mods.id.readAnonymousId(join(dir, "id")));
step("find repo root (stat walk)", () => (state.root = mods.repo.findRepoRoot(process.cwd())));
step("repo key (FNV-1a of the root path)", () => (state.key = mods.repo.repoKey(state.root)));
step("read cached project id", () => mods.cache.readCachedProjectId(dir, state.key));
step(
  "collect context (os queries)",
  () => (state.context = mods.context.collectContext("0.77.0", "up", state.ci.name)),
);
step(
  "redaction context (homedir, userInfo, hostname)",
  () => (state.rc = mods.redact.redactionContextFromProcess(process.env)),
);
step("createRedactor (compile rules)", () => (state.redact = mods.redact.createRedactor(state.rc)));
step(
  "open spool appender",
  () =>
    (state.appender = mods.append.createSpoolAppender(join(dir, "spool.ndjson"), {
      maxBytes: 10 * 2 ** 20,
    })),
);
const shared = { userId: "u", projectId: null, runId: "r" };
step(
  "line encoder (the session's shared fields, once)",
  () => (state.encode = mods.encode.createLineEncoder({ ...shared, context: state.context })),
);
const meta = () => ({
  // The package's own ids: the global crypto would load node:crypto (2 ms) inside this step.
  id: mods.random.random.uuid(),
  timestamp: new Date().toISOString(),
  ...shared,
  context: state.context,
});
const props = {
  resource: { name: "website", type: "cloudflare::Worker", status: "created" },
  elapsedMs: 412,
};
step(
  "first buildEvent (first redaction, first event id)",
  () => (state.event = mods.build.buildEvent("resource.success", props, meta(), state.redact)),
);
step("first encode (JSON + Buffer)", () => (state.line = state.encode(state.event)));
step("first append (write + stat)", () => state.appender.append(state.line));
step("next 50 buildEvent, cold JIT", () => {
  for (let i = 0; i < 50; i++)
    mods.build.buildEvent("resource.success", props, meta(), state.redact);
});
step("next 50 redact() of 3 strings, cold JIT", () => {
  for (let i = 0; i < 50; i++)
    for (const text of ["website", "cloudflare::Worker", "created"]) state.redact(text);
});
step("next 50 encode", () => {
  for (let i = 0; i < 50; i++) state.encode(state.event);
});
step("next 50 append", () => {
  for (let i = 0; i < 50; i++) state.appender.append(state.line);
});
state.appender?.close();
process.stdout.write(JSON.stringify(steps));
