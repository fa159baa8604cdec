// Starts a throwaway PostgreSQL cluster (a copy of the cached template) on a free loopback port, as the postgres user
// when root.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachequakeError, environmentError } from '../../errors/index.ts';
import { requirePostgresBinDir } from './binaries.ts';
import { trackExit, signalGroup } from './child-exit.ts';
import { serverHandle } from './server-handle.ts';
import { freePort, releasePort } from './free-port.ts';
import { tailFile } from './log-tail.ts';
import { copyTemplate, ensureTemplate } from './postgres-template.ts';
import { postgresRunAs } from './postgres-user.ts';
import { randomPostgresPassword, setPostgresPassword, socketClient, writeHbaFile } from './postgres-access.ts';
import { waitUntil } from './wait-until.ts';
import { watchDirectory, watchProcessGroup, unwatchDirectory, unwatchProcessGroup } from './watchdog.ts';
import type { PostgresOptions, StartedPostgres } from './types.ts';

const defaults: Record<string, string | number> = {
  listen_addresses: '127.0.0.1',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: 100,
  shared_buffers: '32MB',
};

export async function startPostgres(options: PostgresOptions = {}): Promise<StartedPostgres> {
  const binDir = requirePostgresBinDir();
  const template = options.dir ? undefined : await ensureTemplate(binDir);
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(binDir, template, options, port);
    } catch (error) {
      if (options.port === undefined) releasePort(port);
      const clash = error instanceof CachequakeError && error.code === 'CQ_POSTGRES_PORT_IN_USE';
      if (!clash || options.port !== undefined || attempt >= 5) throw error;
    }
  }
}

async function startOnce(
  binDir: string,
  template: string | undefined,
  options: PostgresOptions,
  port: number,
): Promise<StartedPostgres> {
  const runAs = postgresRunAs();
  const ownDir = options.dir === undefined;
  let base: string;
  if (options.dir) {
    base = options.dir;
  } else {
    base = await mkdtemp(join(tmpdir(), 'cachequake-pg-'));
    watchDirectory(base);
    await chmod(base, 0o700);
    if (runAs.uid !== undefined && runAs.gid !== undefined) await chown(base, runAs.uid, runAs.gid);
    await copyTemplate(template as string, base);
  }
  const logFile = join(base, 'postgres.log');
  // a restart on the same data dir keeps the password the role already has
  const password = options.password ?? randomPostgresPassword();
  const settings = { ...defaults, ...options.settings, ...(await writeHbaFile(base, runAs)) };
  const args = ['-D', join(base, 'data'), '-p', String(port), '-k', base];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);

  const logFd = openSync(logFile, 'a');
  const child = spawn(join(binDir, 'postgres'), args, {
    cwd: base,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
    detached: true,
    stdio: ['ignore', logFd, logFd],
    ...runAs,
  });
  closeSync(logFd);
  const exit = trackExit(child);
  const pid = child.pid;
  if (pid === undefined) {
    await exit.promise;
    throw environmentError('CQ_POSTGRES_SPAWN_FAILED', `could not start ${join(binDir, 'postgres')}.`, {
      hint: 'Check the install: cachequake doctor',
    });
  }
  watchProcessGroup(pid);
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;

  // ready once the socket answers; then the password is set, and TCP logins (scram) can succeed
  const ready = await waitUntil(() => canConnect(base, port), {
    timeoutMs: options.startTimeoutMs ?? 15_000,
    intervalMs: 10,
    giveUp: () => (exit.exited ? `postgres exited with code ${exit.code}` : undefined),
  });
  if (!ready.ok) {
    const log = await tailFile(logFile, 20);
    signalGroup(pid, 'SIGKILL');
    await exit.promise;
    unwatchProcessGroup(pid);
    if (ownDir) {
      await rm(base, { recursive: true, force: true });
      unwatchDirectory(base);
    }
    if (/Address already in use/i.test(log)) {
      throw environmentError(
        'CQ_POSTGRES_PORT_IN_USE',
        `PostgreSQL could not listen on 127.0.0.1:${port}: the port is in use.`,
        { hint: 'Choose another port.' },
      );
    }
    throw environmentError('CQ_POSTGRES_START_FAILED', `PostgreSQL did not become ready: ${ready.reason}.`, {
      hint: `Last lines of its log:\n${log}`,
    });
  }
  try {
    await setPostgresPassword(base, port, password);
  } catch (cause) {
    signalGroup(pid, 'SIGKILL');
    await exit.promise;
    unwatchProcessGroup(pid);
    if (ownDir) {
      await rm(base, { recursive: true, force: true });
      unwatchDirectory(base);
    }
    throw environmentError(
      'CQ_POSTGRES_START_FAILED',
      `PostgreSQL started but its password could not be set: ${(cause as Error).message}.`,
      { cause, hint: `Last lines of its log:\n${await tailFile(logFile, 20).catch(() => '')}` },
    );
  }

  const base_ = serverHandle({
    pid,
    exit,
    port,
    portPicked: options.port === undefined,
    dir: base,
    ownDir,
    logFile,
    askToStop: () => {
      process.kill(pid, 'SIGINT');
    },
    graceMs: 5000,
  });
  // a getter does not survive a spread: `exited` is defined on the result explicitly
  const handle: StartedPostgres = Object.defineProperties(
    {
      ...base_,
      host: '127.0.0.1',
      port,
      url,
      password,
      dir: base,
      options: { ...options, password },
    } as StartedPostgres,
    { exited: { get: () => exit.exited } },
  );
  return handle;
}

async function canConnect(base: string, port: number): Promise<boolean> {
  const client = socketClient(base, port);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}
