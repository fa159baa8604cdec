// The HTTP server of the Toxiproxy API: routing, the browser block, request ids, error bodies; one request at a time;
// bodies, headers and slow requests bounded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ProxyRegistry } from '../core/proxy-registry.ts';
import { ApiError, errorReply, type Reply } from './reply.ts';
import { newRequestId } from './request-id.ts';
import { closeAfterAnswer, readBoundedBody } from './read-body.ts';
import { matchRoute } from './routes.ts';
import { SerialQueue } from './serial-queue.ts';

/** A request must send its headers within this time, and all of it within requestTimeoutMs. */
const headersTimeoutMs = 5_000;
const requestTimeoutMs = 10_000;

export function createApiServer(registry: ProxyRegistry): Server {
  const queue = new SerialQueue();
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // how often those two are checked (Node's default, 30 s, would let a slow request hold on much longer)
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: 16 * 1024,
    },
    (request, response) => {
      handle(registry, queue, request, response).catch((error: unknown) => {
        // A bug, not a client error: answer 500 like Go's apiError does for unexpected errors.
        send(response, errorReply(error instanceof Error ? error.message : String(error), 500));
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  return server;
}

async function handle(
  registry: ProxyRegistry,
  queue: SerialQueue,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const read = await readBoundedBody(request);
  if (!read.ok) {
    if ('aborted' in read) return; // the client went away: nobody to answer
    // stop here: the rest of the body is not read, the connection closes once the answer is out
    response.setHeader('Connection', 'close');
    closeAfterAnswer(request);
    send(response, { ...errorReply(read.message, read.status), contentType: 'application/json' });
    return;
  }
  const body = read.body;
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://api').pathname);
  } catch {
    send(response, { status: 400, body: '400 Bad Request', contentType: 'text/plain; charset=utf-8' });
    return;
  }
  const match = matchRoute(path, request.method ?? 'GET');
  if (match.kind === 'not-found') {
    send(response, {
      status: 404,
      body: '404 page not found\n',
      contentType: 'text/plain; charset=utf-8',
      nosniff: true,
    });
    return;
  }
  if (match.kind === 'method-not-allowed') {
    send(response, { status: 405 });
    return;
  }
  response.setHeader('X-Toxiproxy-Request-Id', newRequestId());
  if ((request.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
    send(response, {
      status: 403,
      body: 'User agent not allowed\n',
      contentType: 'text/plain; charset=utf-8',
      nosniff: true,
    });
    return;
  }
  const reply = await queue.run(async () => {
    try {
      return await match.handler({ registry, params: match.params, body });
    } catch (error) {
      if (error instanceof ApiError) return errorReply(error.message, error.status);
      throw error;
    }
  });
  send(response, reply);
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.headersSent) return;
  if (reply.contentType) response.setHeader('Content-Type', reply.contentType);
  if (reply.nosniff) response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Length', Buffer.byteLength(reply.body ?? ''));
  response.statusCode = reply.status;
  response.end(reply.body ?? '');
}
