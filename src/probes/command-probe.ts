// Sends one command through a link on a fresh connection and reports what came back: a reply line, a close, or nothing.
import { connect } from 'node:net';

export interface CommandProbe {
  /** The first reply line (`-OOM …`, `$-1`), `closed by proxy`, or `no reply within <n>ms`. */
  reply: string;
  ms: number;
}

export function probeCommand(
  host: string,
  port: number,
  args: readonly string[],
  timeoutMs: number,
): Promise<CommandProbe> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let text = '';
    const done = (reply: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply, ms: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(() => done(`no reply within ${timeoutMs}ms`), timeoutMs);
    socket.on('connect', () =>
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`),
    );
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\r\n');
      if (end >= 0) done(text.slice(0, end));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.on('close', () => done('closed by proxy'));
  });
}
