// A free loopback port kept bound until its server is about to start, so proxy links created meanwhile (listen :0)
// cannot be given it.
import { createServer, type Server } from 'node:net';
import { environmentError } from '../../../errors/index.ts';
import { freePort } from '../../local/free-port.ts';

export interface HeldPort {
  readonly port: number;
  /** Lets go of the port; call right before the process that takes it starts. Idempotent. */
  release(): Promise<void>;
}

export async function holdPort(): Promise<HeldPort> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    const server = await listen(port).catch(() => undefined);
    if (!server) continue; // taken between the pick and the hold: pick another
    let released: Promise<void> | undefined;
    return { port, release: () => (released ??= new Promise<void>((r) => server.close(() => r()))) };
  }
  throw environmentError('CQ_NO_FREE_PORT', 'could not hold a free loopback port after 20 attempts.', {
    hint: 'Ports were taken as fast as they were picked: stop what binds them, or run fewer experiments at once (--parallel).',
  });
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}
