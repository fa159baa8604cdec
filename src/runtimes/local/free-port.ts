// Picks free 127.0.0.1 ports: the kernel chooses, and this process never hands the same port out twice while it is in
// use.
import { createServer } from 'node:net';
import { environmentError } from '../../errors/index.ts';

const handedOut = new Set<number>();

/** A port that was free a moment ago and is not handed out to anything else in this process. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await kernelPort(host);
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw environmentError('CQ_NO_FREE_PORT', `could not find a free port on ${host} after 50 attempts.`, {
    hint: 'Too many ports are in use on this machine (ss -ltn); stop what holds them, or run fewer experiments at once (--parallel).',
  });
}

/** Gives a port back once whatever used it has stopped. */
export function releasePort(port: number): void {
  handedOut.delete(port);
}

function kernelPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
