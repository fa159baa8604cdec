// The only commands the audit may send: reads that are safe on a production Redis. Everything else is refused before it
// reaches the socket.
import { CachequakeError } from '../errors/index.ts';

/** Allowed commands, lowercase; `name|sub` for a container command's subcommand. */
export const readOnlyAllowlist: ReadonlySet<string> = new Set([
  'hello', // connection handshake (protocol, optional AUTH)
  'auth',
  'select',
  'ping',
  'info',
  'dbsize',
  'scan',
  'pttl',
  'config|get',
  'memory|usage',
]);

const containers = new Set([
  'config',
  'memory',
  'client',
  'acl',
  'object',
  'cluster',
  'command',
  'debug',
  'function',
  'script',
  'xinfo',
  'module',
  'latency',
  'slowlog',
]);

/** `config get maxmemory` → `config|get`; `info` → `info`. */
export function commandKey(name: string, args: readonly unknown[]): string {
  const lower = name.toLowerCase();
  const sub = args[0];
  if (containers.has(lower) && (typeof sub === 'string' || Buffer.isBuffer(sub)))
    return `${lower}|${String(sub).toLowerCase()}`;
  return lower;
}

/** Undefined when the command may be sent; otherwise the error to reject it with. */
export function refusalFor(name: string, args: readonly unknown[]): CachequakeError | undefined {
  const key = commandKey(name, args);
  if (readOnlyAllowlist.has(key)) return undefined;
  const shown = key.replace('|', ' ').toUpperCase();
  // the audit sends only commands written in its own code, so a refusal is a cachequake bug (internal, exit 70)
  return new CachequakeError(
    `the audit client refused ${shown}: it sends only read-only commands, and ${shown} is not one of them; nothing was sent`,
    {
      code: 'CQ_AUDIT_COMMAND_REFUSED',
      hint: `Allowed: ${[...readOnlyAllowlist].map((c) => c.replace('|', ' ').toUpperCase()).join(', ')}.`,
    },
  );
}
