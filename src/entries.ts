import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The scripts the host starts as child processes. This module sits at the top of src/ so that
// the paths hold both for the compiled modules and for the host bundles beside them
// (dist/src/index.bundle.js, host-code.js, index.compat.js). Functions, not constants:
// importing the package calls no built-in.

/** This module's directory. import.meta.dirname (Node 20.11+) spares parsing a URL: 0.2 ms. */
const here = (): string =>
  (import.meta as { dirname?: string }).dirname ?? dirname(fileURLToPath(import.meta.url));

/** The detached uploader. */
export const uploaderEntry = (): string => join(here(), "uploader", "main.js");

/** Debug mode's project id resolver. */
export const projectIdEntry = (): string => join(here(), "identity", "project-id-main.js");
