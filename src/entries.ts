import { fileURLToPath } from "node:url";

// The scripts the host starts as child processes. This module sits at the top of src/ so that
// the paths hold both for the compiled modules and for the host bundles beside them
// (dist/src/index.bundle.js, index.compat.js). Functions, not constants: importing the package
// calls no built-in.

/** The detached uploader. */
export const uploaderEntry = (): string =>
  fileURLToPath(new URL("./uploader/main.js", import.meta.url));

/** Debug mode's project id resolver. */
export const projectIdEntry = (): string =>
  fileURLToPath(new URL("./identity/project-id-main.js", import.meta.url));
