// Which modules a process loads, from a run under module-trace.js; and the host-path check:
// a host that tracks and shuts down must never load the uploader's, the CLI's or the
// collector's modules, nor the network, compression or locking libraries.
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { relative } from "node:path";
import { DIST, ROOT, script } from "./paths.js";
import { timedRun } from "./proc.js";
import { shuffled } from "./stats.js";

const FORBIDDEN_PACKAGES = ["execa", "proper-lockfile", "undici"];
const FORBIDDEN_BUILTINS = ["zlib", "http", "https", "http2", "internal/deps/undici/undici"];
const FORBIDDEN_INTERNAL =
  /^(uploader\/(run|drain|lock|main|deliver|prepare|drops|log)|transport\/|cli\/|collector\/|identity\/project-id)/;

/** Runs `args` under the tracer; returns { edges, builtins, commonjs }. */
export async function traceModules(args, { env, cwd, outFile }) {
  rmSync(outFile, { force: true });
  const result = await timedRun(
    process.execPath,
    ["--import", script("module-trace.js"), ...args],
    {
      env: { ...env, BENCH_TRACE_OUT: outFile },
      cwd,
    },
  );
  if (result.code !== 0) throw new Error(`traced run failed: ${result.stderr}`);
  const lines = readFileSync(outFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  const tail = lines.find((line) => line.builtins) ?? { builtins: [], commonjs: [] };
  return { edges: lines.filter((line) => line.url), ...tail };
}

/**
 * Leaves-first order of the static graph under `entryUrl` (builtins included). With `random`,
 * children are visited in a shuffled order: one of the many valid orders, drawn at random.
 */
export function topologicalOrder(edges, entryUrl, random) {
  const children = new Map();
  for (const { parent, url } of edges) {
    if (!parent) continue;
    const list = children.get(parent) ?? [];
    if (!list.includes(url)) list.push(url);
    children.set(parent, list);
  }
  const order = [];
  const seen = new Set();
  const visit = (url) => {
    if (seen.has(url)) return;
    seen.add(url);
    const list = children.get(url) ?? [];
    for (const child of random ? shuffled(list, random) : list) visit(child);
    order.push(url);
  };
  visit(entryUrl);
  return order;
}

/** A short name: `src/x.js` for ours, the package name for dependencies, `node:x` for builtins. */
export function moduleLabel(urlOrPath) {
  if (urlOrPath.startsWith("node:")) return urlOrPath;
  const path = urlOrPath.startsWith("file:") ? fileURLToPath(urlOrPath) : urlOrPath;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dependency) return `dep:${dependency[1]}`;
  if (path.startsWith(DIST)) return `src/${relative(DIST, path)}`;
  return relative(ROOT, path);
}

/** Compares a traced host with a traced bare process; lists what the package adds. */
export function checkHostModules(host, bare) {
  const esm = host.edges.map(({ url }) => url);
  const files = [
    ...new Set([
      ...esm.filter((url) => url.startsWith("file:")),
      ...host.commonjs.map((p) => pathToFileURL(p).href),
    ]),
  ];
  const labels = [...new Set(files.map(moduleLabel))];
  const internal = labels.filter((label) => label.startsWith("src/")).sort();
  const dependencies = [...new Set(labels.filter((label) => label.startsWith("dep:")))].sort();
  const bareBuiltins = new Set(bare.builtins);
  const addedBuiltins = [...new Set(host.builtins)].filter((name) => !bareBuiltins.has(name));
  const failures = [
    ...internal.filter((label) => FORBIDDEN_INTERNAL.test(label.slice(4))),
    ...dependencies.filter((label) => FORBIDDEN_PACKAGES.includes(label.slice(4))),
    ...addedBuiltins
      .filter((name) => FORBIDDEN_BUILTINS.includes(name))
      .map((name) => `node:${name}`),
  ];
  const publicBuiltins = addedBuiltins.filter((name) => !name.startsWith("internal/"));
  return {
    pass: failures.length === 0,
    failures,
    internal,
    dependencies,
    addedBuiltins: publicBuiltins,
    addedInternalBuiltins: addedBuiltins.length - publicBuiltins.length,
  };
}
