// Events in the telemetry wire shape for the plain-fetch peers (one NDJSON line each).
import { randomUUID } from "node:crypto";

const runId = randomUUID();

export function eventLine(event, properties = {}) {
  const record = {
    id: randomUUID(),
    event,
    timestamp: new Date().toISOString(),
    runId,
    properties,
  };
  return `${JSON.stringify(record)}\n`;
}

export const post = (body) =>
  fetch(process.env.BENCH_URL, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson" },
    body,
  }).then((response) => response.arrayBuffer());
