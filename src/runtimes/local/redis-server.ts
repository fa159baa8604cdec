// Starts a real redis-server as a child process on a free loopback port with its own temp dir, and stops it without a
// trace.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachequakeError, environmentError, invalidInput } from '../../errors/index.ts';
import { redisServerBinary } from './binaries.ts';
import { signalGroup } from './child-exit.ts';
import { connectAdmin, spawnRedisProcess } from './spawn-redis-process.ts';
import { serverHandle } from './server-handle.ts';
import { freePort, releasePort } from './free-port.ts';
import { tailFile } from './log-tail.ts';
import { renderRedisConf } from './render-redis-conf.ts';
import { rawRedisCommand, redisAnswersPing } from './redis-ping.ts';
import { waitUntil } from './wait-until.ts';
import { watchDirectory, unwatchDirectory, unwatchProcessGroup } from './watchdog.ts';
import type { RedisOptions, StartedRedis } from './types.ts';
import { readRedisIdentity } from '../redis-identity.ts';
import { registerStartedRedis, unregisterStartedRedis } from '../started-redis-registry.ts';

const maxPortAttempts = 5;

export async function startRedis(options: RedisOptions = {}): Promise<StartedRedis> {
  const binary = redisServerBinary();
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(binary, options, port);
    } catch (error) {
      if (options.port === undefined) releasePort(port);
      const clash = error instanceof CachequakeError && error.code === 'CQ_REDIS_PORT_IN_USE';
      if (!clash || options.port !== undefined || attempt >= maxPortAttempts) throw error;
    }
  }
}

async function startOnce(binary: string, options: RedisOptions, port: number): Promise<StartedRedis> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'cachequake-redis-')));
  if (ownDir) watchDirectory(dir);
  const confFile = join(dir, 'redis.conf');
  await writeFile(confFile, renderRedisConf(options, port, dir));
  const logFile = join(dir, 'redis.log');

  const { pid, exit, output } = await spawnRedisProcess(binary, [confFile], dir, () =>
    environmentError('CQ_REDIS_SPAWN_FAILED', `could not start ${binary}.`, {
      hint: 'Check that it is executable: redis-server --version',
    }),
  );

  const cleanupFailedStart = async () => {
    signalGroup(pid, 'SIGKILL');
    await exit.promise;
    unwatchProcessGroup(pid);
    if (ownDir) {
      await rm(dir, { recursive: true, force: true });
      unwatchDirectory(dir);
    }
  };

  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const ready = await waitUntil(() => redisAnswersPing(port), {
    timeoutMs,
    giveUp: () => (exit.exited ? `redis-server exited with code ${exit.code}` : undefined),
  });
  if (!ready.ok) {
    const log = `${output.tail(20)}\n${await tailFile(logFile, 20)}`.trim();
    await cleanupFailedStart();
    throw startError(ready.reason, port, log, options);
  }

  const admin = await connectAdmin(port);
  // destructive faults reach only servers this process started (the guard): remember who this one is
  const identity = await readRedisIdentity(admin);
  if (identity) registerStartedRedis({ ...identity, runtime: 'local' });

  const base = serverHandle({
    pid,
    exit,
    port,
    portPicked: options.port === undefined,
    dir,
    ownDir,
    logFile,
    beforeStop: () => {
      if (identity) unregisterStartedRedis(identity.runId);
      admin.disconnect();
    },
    askToStop: () => rawRedisCommand(port, 'SHUTDOWN NOSAVE', 1000).then(() => undefined),
    graceMs: 3000,
  });
  // a getter does not survive a spread: `exited` is defined on the result explicitly
  const handle: StartedRedis = Object.defineProperties(
    {
      ...base,
      host: '127.0.0.1',
      port,
      url: `redis://127.0.0.1:${port}`,
      dir,
      logFile,
      admin,
      options,
    } as StartedRedis,
    { exited: { get: () => exit.exited } },
  );
  return handle;
}

function startError(reason: string, port: number, log: string, options: RedisOptions): CachequakeError {
  if (/Address already in use/i.test(log)) {
    return environmentError(
      'CQ_REDIS_PORT_IN_USE',
      `redis-server could not listen on 127.0.0.1:${port}: the port is in use.`,
      {
        hint: options.port
          ? `Choose another port, or stop what listens on ${port}.`
          : 'Another process took the port; retrying picked no free one.',
      },
    );
  }
  const badConfig = /FATAL CONFIG FILE ERROR[\s\S]*?>>> '([^']*)'\s*\n?(.*)/.exec(log);
  if (badConfig) {
    return invalidInput(
      'CQ_REDIS_CONFIG_INVALID',
      `redis-server rejected the directive '${badConfig[1]}': ${badConfig[2]?.trim() ?? 'bad value'}.`,
      {
        file: options.configFile,
        hint: `Fix the directive${options.configFile ? ` in ${options.configFile} or` : ''} in the experiment's redis.config. Server output:\n${log}`,
      },
    );
  }
  return environmentError('CQ_REDIS_START_FAILED', `redis-server did not become ready: ${reason}.`, {
    hint: `Last lines of its output and log:\n${log}`,
  });
}
