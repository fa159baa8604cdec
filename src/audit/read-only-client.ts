// A Redis connection that can only read: every command, the handshake and pipelines included, passes the allowlist
// before it is written.
import { Redis, type Command } from 'ioredis';
import { CachequakeError, environmentError, invalidInput } from '../errors/index.ts';
import { commandKey, refusalFor } from './read-only-allowlist.ts';

/** The ACL a read-only audit user needs (docs/audit.md). */
export const minimalAcl =
  'ACL SETUSER cachequake-audit on >secret ~* resetchannels -@all +ping +hello +info +config|get +dbsize +scan +pttl +memory|usage';

/** ioredis with the allowlist enforced at sendCommand, the one funnel every command goes through. */
class AllowlistedRedis extends Redis {
  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const refusal = refusalFor(command.name, command.args);
    if (refusal) {
      command.reject(refusal);
      return command.promise;
    }
    return super.sendCommand(command, stream);
  }
}

export interface ReadOnlyClient extends AsyncDisposable {
  /** Any command: sent only when it is on the allowlist, otherwise rejected with CQ_AUDIT_COMMAND_REFUSED. */
  call(name: string, ...args: (string | number)[]): Promise<unknown>;
  /** The same commands pipelined in one round trip; one result (or error) per command. */
  pipeline(commands: (string | number)[][]): Promise<{ error: Error | null; value: unknown }[]>;
  close(): void;
}

/** `redis://user:secret@host:6379/0` → `redis://user:***@host:6379/0`, for output. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

export async function connectReadOnly(url: string, options: { timeoutMs?: number } = {}): Promise<ReadOnlyClient> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput(
      'CQ_AUDIT_URL_INVALID',
      `Expected a Redis URL such as redis://user:password@host:6379/0, got ${JSON.stringify(url)}`,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw invalidInput(
      'CQ_AUDIT_URL_INVALID',
      `Expected a redis:// or rediss:// URL, got ${JSON.stringify(redactUrl(url))}`,
    );
  }
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) {
    throw invalidInput(
      'CQ_AUDIT_URL_INVALID',
      `Expected a database number after the port (redis://host:6379/0), got ${JSON.stringify(parsed.pathname)}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  const client = new AllowlistedRedis(url, {
    lazyConnect: true,
    disableClientInfo: true, // CLIENT SETINFO is not a read
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    enableOfflineQueue: true,
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error; // an AUTH failure arrives here; connect() only says the connection closed
  });
  try {
    await client.connect();
  } catch (cause) {
    client.disconnect();
    const message = [lastError?.message, (cause as Error).message].filter(Boolean).join('; ');
    if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message)) {
      throw invalidInput('CQ_AUDIT_AUTH_FAILED', `${redactUrl(url)} refused the credentials: ${message}`, {
        hint: 'Put the user and password in the URL: redis://user:password@host:port/db.',
        cause,
      });
    }
    throw environmentError('CQ_AUDIT_CONNECT_FAILED', `cannot connect to ${redactUrl(url)}: ${message}`, {
      hint: 'Check host, port and that the server accepts connections from here.',
      cause,
    });
  }
  const close = () => client.disconnect();
  const explain = (name: string, args: readonly (string | number)[], error: unknown): unknown => {
    if (error instanceof CachequakeError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const shown = commandKey(name, args).replace('|', ' ').toUpperCase();
    if (/NOPERM/.test(message)) {
      return environmentError(
        'CQ_AUDIT_NOPERM',
        `${redactUrl(url)} does not allow ${shown} for this user: ${message}`,
        { hint: `The audit needs: ${minimalAcl}`, cause: error },
      );
    }
    return environmentError('CQ_AUDIT_COMMAND_FAILED', `${shown} failed on ${redactUrl(url)}: ${message}`, {
      cause: error,
    });
  };
  return {
    call: (name, ...args) =>
      client.call(name, ...args).catch((error: unknown) => Promise.reject(explain(name, args, error))),
    async pipeline(commands) {
      // refuse the whole pipeline up front: nothing of it is sent when one command is off the allowlist
      for (const [name, ...args] of commands) {
        const refusal = refusalFor(String(name), args);
        if (refusal) throw refusal;
      }
      const results =
        (await client.pipeline(commands.map(([name, ...args]) => ['call', String(name), ...args])).exec()) ?? [];
      const mapped = results.map(([error, value]) => ({ error, value }));
      // a permission missing for a whole command kind is the user's setup, not a key that vanished
      const denied = mapped.findIndex((r) => r.error && /NOPERM/.test(r.error.message));
      if (denied >= 0) {
        const [name, ...args] = commands[denied] ?? [''];
        throw explain(String(name), args, mapped[denied]?.error);
      }
      return mapped;
    },
    close,
    [Symbol.asyncDispose]: async () => close(),
  };
}
