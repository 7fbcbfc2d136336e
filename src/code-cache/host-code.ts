// The host code that the module-sync entry compiles with V8's code cache (dist/src/host-code.js):
// the package's public entry, and the hook through which the entry offers the cache to save.
export * from "../index.js";
export { offerCodeCache } from "./save.js";
