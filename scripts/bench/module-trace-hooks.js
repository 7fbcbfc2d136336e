// Loader hooks (run on Node's hooks thread): record every resolved module with its importer.
import { appendFileSync } from "node:fs";

let out;

export function initialize(data) {
  out = data.out;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(
    out,
    `${JSON.stringify({ parent: context.parentURL ?? null, url: result.url })}\n`,
  );
  return result;
}
