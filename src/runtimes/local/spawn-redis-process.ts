// Spawns redis-server (as a server or a sentinel) in its own process group under the watchdog, and opens its admin
// connection.
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import type { CachequakeError } from '../../errors/index.ts';
import { trackExit, type ChildExit } from './child-exit.ts';
import { LineRing } from './log-tail.ts';
import { watchProcessGroup } from './watchdog.ts';

export interface SpawnedRedisProcess {
  readonly pid: number;
  readonly exit: ChildExit;
  /** The last lines it printed on stdout and stderr (before its log file takes over). */
  readonly output: LineRing;
}

/** Throws `spawnFailure` when the process could not be started at all. */
export async function spawnRedisProcess(
  binary: string,
  args: string[],
  dir: string,
  spawnFailure: () => CachequakeError,
): Promise<SpawnedRedisProcess> {
  const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = trackExit(child);
  const output = new LineRing(50);
  child.stdout?.on('data', (c: Buffer) => output.push(c));
  child.stderr?.on('data', (c: Buffer) => output.push(c));
  const pid = child.pid;
  if (pid === undefined) {
    await exit.promise;
    throw spawnFailure();
  }
  watchProcessGroup(pid);
  return { pid, exit, output };
}

/** A connection straight to the server (never through a proxy) that survives the faults done to it. */
export async function connectAdmin(port: number): Promise<Redis> {
  const admin = new Redis({
    host: '127.0.0.1',
    port,
    connectionName: 'cachequake-admin',
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(times * 50, 500),
  });
  admin.on('error', () => {}); // faults kill and freeze servers on purpose; callers see command errors
  await admin.connect();
  return admin;
}
