// A loopback stand-in for PostHog's ingestion API: accepts posthog-node's batch POSTs
// (`/batch/`, JSON `{ api_key, batch: [...] }`, gzip or plain), answers after a fixed delay,
// and counts the events it received. Any other path is answered `{}` after the same delay.
import { createServer } from "node:http";
import { gunzipSync } from "node:zlib";

export async function startPosthogServer({ delayMs = 0 } = {}) {
  let events = 0;
  const requests = [];
  const timers = new Set();
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      let body = Buffer.concat(chunks);
      const gzip = request.headers["content-encoding"] === "gzip";
      const path = (request.url ?? "/").split("?")[0];
      let count = 0;
      try {
        if (gzip) body = gunzipSync(body);
        const parsed = JSON.parse(body.toString("utf8") || "{}");
        if (Array.isArray(parsed.batch)) count = parsed.batch.length;
      } catch {
        // Counted as a request without events.
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        events += count;
        requests.push({ path, gzip, bytes: Buffer.concat(chunks).length, events: count });
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(path.startsWith("/batch") ? { status: "Ok" } : {}));
      }, delayMs);
      timers.add(timer);
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get events() {
      return events;
    },
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
