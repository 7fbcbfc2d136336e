// The work of the pretend host CLI, shared by every variant so that only telemetry differs:
// app.start, 25 resources each with resource.start + resource.success (elapsed time), then
// app.success. 52 events. `track` is the only thing a variant changes.

const TYPES = ["cloudflare::Worker", "cloudflare::R2Bucket", "cloudflare::Queue", "neon::Project"];

export const RESOURCES = Array.from({ length: 25 }, (_, index) => ({
  name: `resource-${index}`,
  type: TYPES[index % TYPES.length],
}));

export const EVENTS_PER_RUN = 2 + 2 * RESOURCES.length;

export function runWork(track) {
  const started = performance.now();
  track("app.start");
  for (const { name, type } of RESOURCES) {
    const resourceStarted = performance.now();
    track("resource.start", { resource: { name, type } });
    track("resource.success", {
      resource: { name, type, status: "created" },
      elapsedMs: Math.round(performance.now() - resourceStarted),
    });
  }
  track("app.success", { elapsedMs: Math.round(performance.now() - started) });
}
