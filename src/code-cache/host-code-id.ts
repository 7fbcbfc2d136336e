/**
 * Names the exact host code a cache was made from. The build replaces it in the module-sync
 * entry with a hash of dist/src/host-code.js; unbundled, no cache is ever read or written.
 */
export const HOST_CODE_ID: string = "unbundled";
