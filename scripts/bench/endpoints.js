// The three endpoint cases of SPEC §7: healthy (a collector), hung (a collector that never
// answers) and refusing (a loopback port that was bound, noted and closed). All on 127.0.0.1.
import { createServer } from "node:net";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { DIST } from "./paths.js";

const { startCollector } = await import(pathToFileURL(join(DIST, "collector", "server.js")).href);

export { startCollector };

/** A loopback URL on which nothing listens: the connection is refused. */
export async function refusedUrl() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/v1/events`;
}

/** Starts the endpoints; `close()` ends hung requests and closes the collectors. */
export async function startEndpoints() {
  const healthy = await startCollector();
  const hung = await startCollector({ alwaysFault: { kind: "hang" } });
  const refused = await refusedUrl();
  return {
    cases: [
      { name: "healthy", url: healthy.url, collector: healthy },
      { name: "hung", url: hung.url, collector: hung },
      { name: "refusing", url: refused, collector: undefined },
    ],
    close: () => Promise.all([healthy.close(), hung.close()]),
  };
}
