/** The JavaScript runtime we run in, by the globals each one defines. */
export function detectRuntime(): { runtime: string; runtimeVersion: string } {
  const g = globalThis as {
    Bun?: { version?: string };
    Deno?: { version?: { deno?: string } };
    navigator?: { userAgent?: string };
  };
  if (g.Bun) return { runtime: "bun", runtimeVersion: g.Bun.version ?? "" };
  if (g.Deno) return { runtime: "deno", runtimeVersion: g.Deno.version?.deno ?? "" };
  if (g.navigator?.userAgent === "Cloudflare-Workers") {
    return { runtime: "workerd", runtimeVersion: "" };
  }
  return { runtime: "node", runtimeVersion: process.versions.node };
}
