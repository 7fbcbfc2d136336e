#!/usr/bin/env node
// Bundles the host entry (dist/src/index.js and everything it imports) into one file, twice:
//   dist/src/index.bundle.js  for runtimes that resolve the "module-sync" export condition (Node
//                             20.19+, 22.12+), which all have process.getBuiltinModule: it
//                             reaches every built-in through that, with no module facade;
//   dist/src/index.compat.js  for the rest (Node 20.5-20.18, others): plain built-in imports.
// Each ES module a host loads costs about 0.3 ms on its own, and the host path is some thirty
// small files: one file keeps the source split by concern and the host's start-up fast. Fails
// the build if anything of the uploader, the CLI or the collector (execa, proper-lockfile, zlib,
// http) ends up on the host's path.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const FORBIDDEN = [
  /node_modules\/(execa|proper-lockfile)\//,
  /dist\/src\/(uploader\/(?!spawn|detached-spawn|start-mark)|cli\/|collector\/|transport\/)/,
];
const FORBIDDEN_BUILTINS = ["zlib", "http", "https", "net:"];

// In the bundle, the lazily required dependencies are inlined, still initialized on first call.
const inlineLazyDeps = {
  name: "inline-lazy-deps",
  setup(plugin) {
    plugin.onLoad({ filter: /dist\/src\/deps\.js$/ }, () => ({
      contents: [
        'export function loadEnvPaths() { return require("env-paths").default; }',
        'export function loadCiInfo() { return require("ci-info"); }',
      ].join("\n"),
      resolveDir: `${root}dist/src`,
      loader: "js",
    }));
  },
};

// env-paths imports `node:process`, whose ES module facade costs over 2 ms to build; the global
// is the same object.
const processGlobal = {
  name: "process-global",
  setup(plugin) {
    plugin.onResolve({ filter: /^(node:)?process$/ }, () => ({
      path: "process",
      namespace: "process-global",
    }));
    plugin.onLoad({ filter: /.*/, namespace: "process-global" }, () => ({
      contents: "export default globalThis.process;",
      loader: "js",
    }));
  },
};

// Importing a built-in as an ES module builds its facade, and node:fs's facade reads every lazy
// export (streams, promises): 1.5-2 ms of the host's start-up for nothing. The CommonJS object
// from process.getBuiltinModule (Node 20.16+) has no facade; the plugin exports its plain data
// properties (lazy getters left alone) under their names, read once. A runtime that picks this
// bundle without the function gets empty built-ins, and createTelemetry stays off (it checks
// builtinsReachable() first, which this bundle answers truly).
const builtinsWithoutFacade = {
  name: "builtins-without-facade",
  setup(plugin) {
    plugin.onResolve({ filter: /^node:[a-z_/]+$/ }, (args) => ({
      path: args.path,
      namespace: "builtin",
    }));
    plugin.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => {
      const descriptors = Object.getOwnPropertyDescriptors(process.getBuiltinModule(args.path));
      const names = Object.keys(descriptors).filter(
        (name) => "value" in descriptors[name] && /^[A-Za-z_$][\w$]*$/.test(name),
      );
      const module = `globalThis.process.getBuiltinModule?.(${JSON.stringify(args.path)}) ?? {}`;
      return {
        contents: `const m = ${module};\nexport const { ${names.join(", ")} } = m;\nexport default m;\n`,
        loader: "js",
      };
    });
  },
};

// The module-sync bundles answer builtinsReachable() truly, and never load node:module (0.1-0.2 ms
// at import, with the source-map support it brings): its createRequire is the fallback for
// runtimes without process.getBuiltinModule, which these bundles run with telemetry off.
const builtinsReachable = {
  name: "builtins-reachable",
  setup(plugin) {
    plugin.onLoad({ filter: /dist\/src\/builtin\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = replaceOrFail(source, [
        [
          /(function builtinsReachable\(\) \{\s*)return true;/,
          '$1return typeof globalThis.process.getBuiltinModule === "function";',
        ],
        [/^import \{ createRequire \} from "node:module";\n/m, ""],
        [
          /return createRequire\(import\.meta\.url\)\(id\);/,
          'throw new Error("process.getBuiltinModule is missing");',
        ],
      ]);
      return { contents, loader: "js" };
    });
  },
};

/** Applies each replacement, failing the build when one no longer finds its text. */
function replaceOrFail(source, replacements) {
  let contents = source;
  for (const [pattern, replacement] of replacements) {
    const next = contents.replace(pattern, replacement);
    if (next === contents) throw new Error(`builtin.js: ${pattern} not found`);
    contents = next;
  }
  return contents;
}

/** The module-sync entry's HOST_CODE_ID: a hash of the host code it loads and caches. */
const hostCodeId = (id) => ({
  name: "host-code-id",
  setup(plugin) {
    plugin.onLoad({ filter: /dist\/src\/code-cache\/host-code-id\.js$/ }, () => ({
      contents: `export const HOST_CODE_ID = ${JSON.stringify(id)};`,
      loader: "js",
    }));
  },
});

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  metafile: true,
  // Fewer bytes for every host to read, scan and hash on each start: whitespace and syntax take
  // off half, short local names a quarter of the rest (95 to 69 KB of host code: 0.2 ms off an
  // import, with the code cache and without). Telemetry's own frames in a stack trace show
  // short names (a host error that timeResource() passes through, say); the unbundled dist/
  // keeps the real ones.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  logLevel: "warning",
};
const banner = (from) => `// alchemy-telemetry: generated from ${from} by scripts/bundle.js`;

async function bundle(outfile, options) {
  const result = await build({ ...common, outfile, ...options });
  checkHostPath(outfile, result.metafile);
}

// The host code for the module-sync entry: one function that V8 compiles from the file, with the
// code cache when there is one (src/code-cache/entry.ts).
const HOST_CODE = "dist/src/host-code.js";
await bundle(HOST_CODE, {
  entryPoints: ["dist/src/code-cache/host-code.js"],
  format: "cjs",
  define: { "import.meta.url": "__moduleUrl", "import.meta.dirname": "__moduleDir" },
  banner: {
    js: `${banner("dist/src/code-cache/host-code.js")}\n(function (module, __moduleUrl, __moduleDir) {`,
  },
  footer: { js: "})" },
  plugins: [inlineLazyDeps, processGlobal, builtinsWithoutFacade, builtinsReachable],
});
const id = createHash("sha256")
  .update(await readFile(join(root, HOST_CODE)))
  .digest("hex");
await bundle("dist/src/index.bundle.js", {
  entryPoints: ["dist/src/code-cache/entry.js"],
  format: "esm",
  banner: { js: banner("dist/src/code-cache/entry.js") },
  plugins: [
    inlineLazyDeps,
    processGlobal,
    builtinsWithoutFacade,
    builtinsReachable,
    hostCodeId(id.slice(0, 32)),
  ],
});
await bundle("dist/src/index.compat.js", {
  entryPoints: ["dist/src/index.js"],
  format: "esm",
  banner: { js: banner("dist/src/index.js") },
  plugins: [inlineLazyDeps, processGlobal],
});

/** Exits non-zero when the bundle holds a module or built-in that the host must never load. */
function checkHostPath(outfile, metafile) {
  const inputs = Object.keys(metafile.inputs);
  // Built-ins come in through the plugin above (inputs `builtin:node:x`), or as plain imports.
  const imports = [
    ...inputs.filter((path) => path.startsWith("builtin:")).map((path) => path.slice(8)),
    ...Object.values(metafile.outputs).flatMap((output) =>
      output.imports.map((entry) => entry.path),
    ),
  ];
  const offending = [
    ...inputs.filter((path) => FORBIDDEN.some((pattern) => pattern.test(path))),
    ...imports.filter((path) =>
      FORBIDDEN_BUILTINS.some((name) =>
        path.replace(/^node:/, "").startsWith(name.replace(":", "")),
      ),
    ),
  ];
  if (offending.length > 0) {
    console.error(
      `bundle ${outfile}: the host path must not load these:\n  ${offending.join("\n  ")}`,
    );
    process.exit(1);
  }
}
