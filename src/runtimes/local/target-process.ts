// Starts the service under test as a child process and waits until its health path answers.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { environmentError } from '../../errors/index.ts';
import { trackExit, stopChild, signalGroup } from './child-exit.ts';
import { LineRing } from './log-tail.ts';
import { waitUntil } from './wait-until.ts';
import { watchProcessGroup, unwatchProcessGroup } from './watchdog.ts';
import type { StartedTargetProcess, TargetProcessOptions } from './types.ts';

export async function startTargetProcess(options: TargetProcessOptions): Promise<StartedTargetProcess> {
  const name = options.name ?? options.command;
  const command = options.command === 'node' ? process.execPath : options.command;
  const output = new LineRing(200);
  const child = spawn(command, options.args ?? [], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = trackExit(child);
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  child.stdout?.on('data', (c: Buffer) => output.push(c));
  child.stderr?.on('data', (c: Buffer) => output.push(c));
  const pid = child.pid;
  if (pid === undefined) {
    await exit.promise;
    throw environmentError(
      'CQ_TARGET_SPAWN_FAILED',
      `could not start target '${name}': ${spawnError?.message ?? 'spawn failed'}.`,
      {
        hint: `Check the command '${options.command}' exists and is executable${options.cwd ? ` from ${options.cwd}` : ''}.`,
      },
    );
  }
  watchProcessGroup(pid);
  const url = `http://127.0.0.1:${options.port}`;
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const probe = options.healthPath ? () => httpOk(`${url}${options.healthPath}`) : () => portAccepts(options.port);
  const ready = await waitUntil(probe, {
    timeoutMs,
    intervalMs: 20,
    giveUp: () => (exit.exited ? `it exited with code ${exit.code ?? exit.signal}` : undefined),
  });
  if (!ready.ok) {
    signalGroup(pid, 'SIGKILL');
    await exit.promise;
    unwatchProcessGroup(pid);
    const what = options.healthPath
      ? `GET ${options.healthPath} did not answer 2xx`
      : `port ${options.port} did not accept connections`;
    throw environmentError(
      'CQ_TARGET_START_FAILED',
      `target '${name}' did not become ready: ${ready.reason} (${what}).`,
      {
        hint: `Last lines of its output:\n${output.tail(25) || '(nothing printed)'}`,
      },
    );
  }

  let stopping: Promise<void> | undefined;
  const handle: StartedTargetProcess = {
    name,
    port: options.port,
    url,
    pid,
    get exited() {
      return exit.exited;
    },
    logTail: (lines = 20) => output.tail(lines),
    stop() {
      stopping ??= (async () => {
        await stopChild(pid, exit, () => signalGroup(pid, 'SIGTERM'), 5000);
        unwatchProcessGroup(pid);
      })();
      return stopping;
    },
    [Symbol.asyncDispose]: () => handle.stop(),
  };
  return handle;
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
