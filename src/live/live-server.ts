// The live view's HTTP server (`run --live`): the page, a server-sent-events stream of the run, POST /halt and
// POST /notes; on 127.0.0.1 unless a host is named, and then only with the random token in the URL.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CachequakeError } from '../errors/index.ts';
import type { JournalHalt } from '../journal/journal-types.ts';
import { renderLivePage } from './live-page.ts';
import type { LiveMessage, LiveState } from './live-state.ts';
import { readNote } from './read-note.ts';

export interface LiveServerOptions {
  state: LiveState;
  /** Default 127.0.0.1. Any other host requires the token. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Called once, on the first halt. */
  onHalt: (halt: JournalHalt) => void;
}

export interface StartedLiveServer extends AsyncDisposable {
  /** The page's address, with the token when one is required. */
  url: string;
  port: number;
  token: string | undefined;
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);
const maxBodyBytes = 16 * 1024;

export async function startLiveServer(options: LiveServerOptions): Promise<StartedLiveServer> {
  const { state } = options;
  const host = options.host ?? '127.0.0.1';
  const token = loopbackHosts.has(host) ? undefined : randomBytes(18).toString('base64url');
  const streams = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: (error as Error).message }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://live.invalid');
    if (token !== undefined && !tokenMatches(url.searchParams.get('token') ?? req.headers['x-cachequake-token'])) {
      send(res, 401, { error: 'this live view needs the token printed by cachequake run (…?token=…)' });
      return;
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(renderLivePage());
    } else if (route === 'GET /events') openStream(res);
    else if (route === 'GET /state') send(res, 200, state.snapshot());
    else if (route === 'POST /halt') {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const by = typeof body.by === 'string' && body.by.trim() ? body.by.trim().slice(0, 60) : 'anonymous';
      const first = state.halt === undefined;
      const halt = { at: new Date().toISOString(), by, from: req.socket.remoteAddress ?? 'unknown' };
      state.setHalt(halt);
      if (first) options.onHalt(halt);
      send(res, 202, { halted: true, halt: state.halt });
    } else if (route === 'POST /notes') {
      const body = await readJson(req, res);
      if (body === undefined) return;
      const note = readNote(body);
      if (typeof note === 'string') send(res, 400, { error: note });
      else send(res, 201, { note: state.addNote({ at: new Date().toISOString(), ...note }) });
    } else send(res, 404, { error: `no ${route} here: GET /, GET /events, POST /halt, POST /notes` });
  }

  function tokenMatches(given: string | string[] | undefined): boolean {
    if (typeof given !== 'string' || token === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  function openStream(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    streams.add(res);
    res.on('close', () => streams.delete(res));
    write(res, state.snapshot());
  }

  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': ♥\n\n');
  }, 15_000);
  heartbeat.unref();
  const unsubscribe = state.subscribe((message) => {
    for (const res of streams) write(res, message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CachequakeError(`--live: cannot listen on ${host}:${options.port ?? 0}: ${error.code ?? error.message}`, {
          code: 'CQ_LIVE_PORT_IN_USE',
          hint: 'Pick another --live-port (or leave it out for a free one), or a --live-host this machine has.',
          cause: error,
        }),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      unsubscribe();
      clearInterval(heartbeat);
      for (const res of streams) res.end();
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return {
    url: `http://${shownHost}:${port}/${token === undefined ? '' : `?token=${token}`}`,
    port,
    token,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function write(res: ServerResponse, message: LiveMessage): void {
  res.write(`data: ${JSON.stringify(message)}\n\n`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * The JSON body of a POST; answers 415 when it is not JSON (a page elsewhere cannot send JSON here without CORS, so
 * it cannot halt a run) and 400 when it does not parse.
 */
async function readJson(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown> | undefined> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    send(res, 415, { error: 'send JSON (content-type: application/json)' });
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      send(res, 413, { error: `the body is over ${maxBodyBytes} bytes` });
      return undefined;
    }
    chunks.push(chunk);
  }
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    const value: unknown = text.trim() ? JSON.parse(text) : {};
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  send(res, 400, { error: 'the body is not a JSON object' });
  return undefined;
}
