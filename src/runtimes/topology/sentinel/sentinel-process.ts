// Starts one redis-server in sentinel mode as a child process (its own dir and writable conf) and stops it without a
// trace.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { environmentError } from '../../../errors/index.ts';
import { redisServerBinary } from '../../local/binaries.ts';
import { signalGroup } from '../../local/child-exit.ts';
import { connectAdmin, spawnRedisProcess } from '../../local/spawn-redis-process.ts';
import { tailFile } from '../../local/log-tail.ts';
import { rawRedisCommand, redisAnswersPing } from '../../local/redis-ping.ts';
import { serverHandle, type ServerHandleBase } from '../../local/server-handle.ts';
import { waitUntil } from '../../local/wait-until.ts';
import { unwatchProcessGroup } from '../../local/watchdog.ts';

export interface StartedSentinel extends ServerHandleBase {
  readonly port: number;
  readonly dir: string;
  /** A connection straight to the sentinel (never through its proxy link). */
  readonly admin: Redis;
}

/** `dir` exists and is watched by the caller; the sentinel's conf and log live in it. */
export async function startSentinelProcess(
  port: number,
  dir: string,
  conf: string,
  startTimeoutMs = 10_000,
): Promise<StartedSentinel> {
  const binary = redisServerBinary();
  const confFile = join(dir, 'sentinel.conf');
  await writeFile(confFile, conf);
  const logFile = join(dir, 'sentinel.log');
  const { pid, exit, output } = await spawnRedisProcess(binary, [confFile, '--sentinel'], dir, () =>
    environmentError('CQ_SENTINEL_SPAWN_FAILED', `could not start ${binary} --sentinel.`, {
      hint: 'Check that it is executable: redis-server --version',
    }),
  );
  const ready = await waitUntil(() => redisAnswersPing(port), {
    timeoutMs: startTimeoutMs,
    giveUp: () => (exit.exited ? `redis-server --sentinel exited with code ${exit.code}` : undefined),
  });
  if (!ready.ok) {
    const log = `${output.tail(20)}\n${await tailFile(logFile, 20)}`.trim();
    signalGroup(pid, 'SIGKILL');
    await exit.promise;
    unwatchProcessGroup(pid);
    throw environmentError(
      'CQ_SENTINEL_START_FAILED',
      `the sentinel on 127.0.0.1:${port} did not become ready: ${ready.reason}.`,
      { hint: `Last lines of its output and log (${confFile}):\n${log}` },
    );
  }
  const admin = await connectAdmin(port);
  const base = serverHandle({
    pid,
    exit,
    port,
    portPicked: true,
    dir,
    ownDir: false,
    logFile,
    beforeStop: () => admin.disconnect(),
    askToStop: () => rawRedisCommand(port, 'SHUTDOWN NOSAVE', 1000).then(() => undefined),
    graceMs: 2000,
  });
  return Object.defineProperties({ ...base, port, dir, admin } as StartedSentinel, {
    exited: { get: () => exit.exited },
  });
}
