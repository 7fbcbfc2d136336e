import { fileURLToPath } from "node:url";

/**
 * The detached uploader's script. This module sits at the top of src/ so that the path holds
 * both for the compiled modules and for the host bundle beside them (dist/src/index.bundle.js).
 */
export const UPLOADER_ENTRY = fileURLToPath(new URL("./uploader/main.js", import.meta.url));
