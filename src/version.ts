import { createRequire } from "node:module";

/** This package's version, for the User-Agent and `--version`. Not read on the host's path. */
export function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require("../../package.json") as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}
