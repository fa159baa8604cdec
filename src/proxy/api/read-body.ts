// Reads a request body within bounds: over the per-request limit, or over the bytes all requests may hold at once, it
// stops reading and says why (the caller answers 413/503 and closes the connection); nothing past the limit is kept.
import type { IncomingMessage } from 'node:http';

/** A body larger than this (a /populate of thousands of proxies is well under 1 MB) is refused with 413. */
export const maxBodyBytes = 4 * 1024 * 1024;
/** What every request being read may hold together; past it a new chunk is refused with 503. */
export const maxBufferedBytes = 32 * 1024 * 1024;

export type BodyResult =
  | { ok: true; body: string }
  | { ok: false; status: 413 | 503; message: string }
  | { ok: false; status: 400; message: string; aborted: true };

let buffered = 0;

/** Bytes held right now by bodies being read (for tests and the bound). */
export function bufferedBodyBytes(): number {
  return buffered;
}

export function readBoundedBody(request: IncomingMessage, limit = maxBodyBytes): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(tooLarge(`${declared} bytes`, limit));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      buffered -= size;
      request.off('data', onData);
      if (!result.ok) {
        chunks.length = 0;
        request.pause(); // no more reading: the connection is closed after the answer
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.length > limit) return finish(tooLarge(`more than ${limit} bytes`, limit));
      if (buffered + chunk.length > maxBufferedBytes)
        return finish({
          ok: false,
          status: 503,
          message: `request bodies being read hold more than ${maxBufferedBytes} bytes; try again`,
        });
      size += chunk.length;
      buffered += chunk.length;
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => finish({ ok: true, body: Buffer.concat(chunks, size).toString('utf8') }));
    request.on('error', (error) => finish({ ok: false, status: 400, message: error.message, aborted: true }));
    request.on('close', () => finish({ ok: false, status: 400, message: 'the request was aborted', aborted: true }));
  });
}

function tooLarge(what: string, limit: number): BodyResult {
  return { ok: false, status: 413, message: `request body too large: ${what}, the limit is ${limit} bytes` };
}

/** After an answer that leaves the body unread: how long, and how many bytes, the rest is read and thrown away. */
const lingerMs = 2_000;
const lingerBytes = 16 * 1024 * 1024;

/**
 * Closes the connection once the answer is out, the way a lingering close does: a socket closed with unread bytes
 * sends a reset, which can throw away the answer before the client reads it. So the write side is closed first, and
 * what the client still sends is read and dropped (nothing kept) for at most 2 s or 16 MB, then the socket is destroyed.
 */
export function closeAfterAnswer(request: IncomingMessage): void {
  const socket = request.socket;
  let dropped = 0;
  socket.destroySoon = function lingeringClose() {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > lingerBytes) socket.destroy();
    });
    socket.once('close', () => clearTimeout(timer));
    socket.resume();
  };
}
