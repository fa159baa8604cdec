// CONFIG GET * before the first fault, and after the run CONFIG SET back every parameter that differs (what could not
// be, with why).
import type { Redis } from 'ioredis';
import type { ConfigRestoreResult } from '../journal/journal-safety.ts';
export type { ConfigRestoreResult };

export interface ConfigSnapshot {
  values?: Record<string, string>;
  /** Why there is no snapshot: CONFIG renamed or not permitted (managed Redis), or no answer. */
  unavailable?: string;
}

async function configGetAll(admin: Redis): Promise<Record<string, string>> {
  const flat = (await admin.config('GET', '*')) as string[];
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) values[flat[i] as string] = flat[i + 1] as string;
  return values;
}

/**
 * Never set back: where the server listens, its files, its replication and what it announces (a restart in place or a
 * failover changes them on purpose).
 */
const leftAlone =
  /^(port|tls-port|bind|bind-source-addr|unixsocket|unixsocketperm|dir|dbfilename|appendfilename|appenddirname|logfile|pidfile|daemonize|supervised|cluster-config-file|cluster-announce-.*|(replica|slave)-announce-.*|replicaof|slaveof|masterauth|masteruser|cluster-enabled)$/;

function reasonOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

export async function snapshotConfig(admin: Redis): Promise<ConfigSnapshot> {
  try {
    return { values: await configGetAll(admin) };
  } catch (error) {
    return { unavailable: `CONFIG GET * failed: ${reasonOf(error)} (nothing will be restored)` };
  }
}

/** Sets back what differs; a parameter refused once is tried again after the others (some depend on each other). */
export async function restoreConfig(admin: Redis, snapshot: ConfigSnapshot): Promise<ConfigRestoreResult> {
  const began = performance.now();
  const result: ConfigRestoreResult = {
    parameters: Object.keys(snapshot.values ?? {}).length,
    restored: {},
    notRestored: {},
    tookMs: 0,
  };
  const done = () => ({ ...result, tookMs: Math.round(performance.now() - began) });
  if (!snapshot.values) return { ...done(), unavailable: snapshot.unavailable ?? 'no snapshot' };
  let now: Record<string, string>;
  try {
    now = await configGetAll(admin);
  } catch (error) {
    return { ...done(), unavailable: `CONFIG GET * after the run failed: ${reasonOf(error)}` };
  }
  const differ = Object.entries(snapshot.values).filter(([name, value]) => name in now && now[name] !== value);
  const untouched = differ.filter(([name]) => leftAlone.test(name)).map(([name]) => name);
  if (untouched.length) result.leftAlone = untouched;
  let pending = differ.filter(([name]) => !leftAlone.test(name));
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    const failed: typeof pending = [];
    for (const [name, wanted] of pending) {
      try {
        await admin.config('SET', name, wanted);
        result.restored[name] = { found: now[name] as string, restoredTo: wanted };
        delete result.notRestored[name];
      } catch (error) {
        failed.push([name, wanted]);
        result.notRestored[name] = { found: now[name] as string, wanted, reason: reasonOf(error) };
      }
    }
    pending = failed;
  }
  return done();
}
