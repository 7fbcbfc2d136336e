import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { telemetryFiles, type TelemetryFiles } from "../../src/config/paths.js";

/** A valid spooled event, as the host writes it. */
export function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    event: "resource.success",
    timestamp: new Date().toISOString(),
    userId: "00000000-0000-4000-8000-000000000000",
    projectId: null,
    runId: randomUUID(),
    properties: {
      elapsedMs: 5,
      resource: { name: "site", type: "cloudflare::Worker", status: "created" },
    },
    context: { os: "linux", version: "0.77.0", phase: "up" },
    ...overrides,
  };
}

/** A telemetry directory holding a spool with these lines. */
export function makeSpool(dir: string, lines: readonly string[]): TelemetryFiles {
  const files = telemetryFiles(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.spool, lines.map((line) => `${line}\n`).join(""), { mode: 0o600 });
  return files;
}

export function eventLines(count: number): { ids: string[]; lines: string[] } {
  const events = Array.from({ length: count }, () => makeEvent());
  return {
    ids: events.map((event) => event.id as string),
    lines: events.map((event) => JSON.stringify(event)),
  };
}
