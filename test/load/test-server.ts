// A real node:http server on 127.0.0.1:0 for load tests: records every request, answers as the test says.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** performance.now() when the request arrived. */
  atMs: number;
}

export type Respond = (req: ReceivedRequest, res: ServerResponse) => void;

export interface TestServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  /** Connections currently open to the server. */
  openConnections(): number;
  close(): Promise<void>;
}

export const ok: Respond = (_req, res) => {
  res.end('ok');
};

/** Starts a server; `respond` may leave a response open (a stall). Closing destroys every open connection. */
export async function startTestServer(respond: Respond = ok): Promise<TestServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const atMs = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        atMs,
      };
      received.push(entry);
      respond(entry, res);
    });
  });
  server.keepAliveTimeout = 10_000;
  let open = 0;
  server.on('connection', (socket) => {
    open++;
    socket.once('close', () => open--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    openConnections: () => open,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Polls until `condition` holds or `timeoutMs` passed; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** A port nothing listens on: bound, then closed again. */
export async function closedPort(): Promise<number> {
  const server = await startTestServer();
  const { port } = server;
  await server.close();
  return port;
}
