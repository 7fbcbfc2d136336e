// Small real servers on 127.0.0.1 for faults the collector does not script: a gate that holds
// each request (body fully received) until the test lets it through to the collector, and a
// server that dribbles its answer a byte at a time.
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import type { TestContext } from "node:test";

export interface Gate {
  readonly url: string;
  /** Requests whose whole body has arrived. */
  arrived(): number;
  /** Lets every held request through to the target, and all later ones at once. */
  open(): void;
}

/** A forwarding front for `target` that holds every request until `open()`. */
export async function startGate(t: TestContext, target: string): Promise<Gate> {
  let arrived = 0;
  let isOpen = false;
  const held: (() => void)[] = [];
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      arrived += 1;
      const forward = () => {
        const upstream = httpRequest(
          target,
          { method: "POST", headers: request.headers },
          (answer) => {
            collect(answer).then(
              (body) => {
                if (!response.destroyed) response.writeHead(answer.statusCode ?? 502).end(body);
              },
              () => response.destroy(),
            );
          },
        );
        upstream.on("error", () => response.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      if (isOpen) forward();
      else held.push(forward);
    });
  });
  const port = await listen(server);
  t.after(() => closeAll(server));
  return {
    url: `http://127.0.0.1:${port}/v1/events`,
    arrived: () => arrived,
    open() {
      isOpen = true;
      for (const forward of held.splice(0)) forward();
    },
  };
}

function collect(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
    });
    stream.on("end", () => {
      resolve(Buffer.concat(chunks));
    });
    stream.on("error", reject);
  });
}

/**
 * A raw TCP server that reads the request and then dribbles one byte of its answer every
 * `everyMs`: with `headers: false` the status line itself never completes; with `headers:
 * true` it sends `200` headers and then dribbles a body that never ends.
 */
export async function startDripServer(
  t: TestContext,
  { headers, everyMs = 100 }: { headers: boolean; everyMs?: number },
): Promise<{ url: string; connections(): number }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.once("data", () => {
      // With headers, the head goes out at once and the body never ends; without, a header
      // value never ends, so the answer's head never completes.
      if (headers) socket.write("HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n");
      const text = (headers ? "" : "HTTP/1.1 200 OK\r\nx-slow: ") + "a".repeat(100_000);
      let index = 0;
      const timer = setInterval(() => {
        if (socket.destroyed) clearInterval(timer);
        else socket.write(text.charAt(index++));
      }, everyMs);
      socket.on("close", () => {
        clearInterval(timer);
      });
    });
  });
  const port = await listen(server);
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return closeAll(server);
  });
  return { url: `http://127.0.0.1:${port}/v1/events`, connections: () => connections };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : 0);
    });
  });
}

function closeAll(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    if ("closeAllConnections" in server && typeof server.closeAllConnections === "function") {
      (server.closeAllConnections as () => void)();
    }
  });
}
