// Calibration modules for the import-cost section, written under the bench's temp root.
//   skeleton: the package's static graph with the same files, directories (depth below a
//     package.json of type "module") and import edges, built-ins included, but no code: each
//     module keeps only its imports, as side-effect imports. Importing it costs what Node's
//     loader spends on the graph's shape; the rest of the real import is the package's code.
//   builtins: one module importing only the built-ins that the package imports.
//   empty-<i>.js: empty modules for the per-import() overhead of the leaves-first breakdown.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./paths.js";

const IMPORT =
  /^\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm;

export function writeSkeleton(dir, order) {
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  let entry;
  for (const url of order) {
    if (!url.startsWith("file:")) continue;
    const source = fileURLToPath(url);
    const target = join(dir, relative(ROOT, source));
    mkdirSync(dirname(target), { recursive: true });
    const text = readFileSync(source, "utf8");
    const specifiers = [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2]);
    writeFileSync(target, specifiers.map((specifier) => `import "${specifier}";\n`).join(""));
    entry = target; // Leaves first: the entry comes last.
  }
  const builtins = order.filter((url) => url.startsWith("node:"));
  const builtinsEntry = join(dir, "builtins.js");
  writeFileSync(builtinsEntry, builtins.map((name) => `import "${name}";\n`).join(""));
  const calibrationDir = join(dir, "dist", "src", "calibration");
  mkdirSync(calibrationDir, { recursive: true });
  for (let i = 0; i < 6; i++)
    writeFileSync(join(calibrationDir, `empty-${i}.js`), `export const value = ${i};\n`);
  return { entry, builtinsEntry, builtins, calibrationDir };
}
