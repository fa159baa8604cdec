// Probes a link as a client would: a Redis PING (or a TCP connect for PostgreSQL) through the proxy, timed.
import { connect } from 'node:net';

export interface LinkProbe {
  ok: boolean;
  ms: number;
  detail: string;
}

export function probeLink(
  port: number,
  protocol: 'redis' | 'tcp',
  timeoutMs = 1000,
  host = '127.0.0.1',
): Promise<LinkProbe> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (ok: boolean, detail: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, ms: Math.round(performance.now() - started), detail });
    };
    const timer = setTimeout(() => done(false, `no answer within ${timeoutMs}ms`), timeoutMs);
    socket.on('connect', () => {
      if (protocol === 'tcp') done(true, 'connected');
      else socket.write('PING\r\n');
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'), reply.trim());
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(false, error.code ?? error.message));
    socket.on('close', () => done(false, reply ? reply.trim() : 'closed by peer'));
  });
}
