// restart and kill as a second client sees them under each persistence setting: a new server (new run_id) on the
// same link, with the keys gone or kept as redis.persistence says.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type StartedEnvironment } from '../../src/runtimes/local/local-environment.ts';
import { faultImplementation } from '../../src/faults/catalogue.ts';
import type { InjectedFault } from '../../src/faults/fault-implementation.ts';
import { faultSchema, type FaultSpec } from '../../src/faults/fault-schema.ts';
import { linkPort } from '../../src/runtimes/proxy-links.ts';

async function inject(env: StartedEnvironment, input: Record<string, unknown>): Promise<InjectedFault> {
  const spec = faultSchema.parse(input);
  const impl = faultImplementation(spec.kind) as {
    inject: (c: StartedEnvironment, s: FaultSpec, d: number) => Promise<InjectedFault>;
  };
  return impl.inject(env, spec, 1000);
}

let written = 0;

/**
 * Writes a key no earlier test wrote (an earlier SHUTDOWN SAVE's file must not answer for it), runs the fault and its
 * revert, and says what a new client on the link sees afterwards.
 */
async function seenAfter(env: StartedEnvironment, input: Record<string, unknown>) {
  const key = `session:${++written}`;
  const client = () => new Redis({ port: linkPort(env.link('redis')), maxRetriesPerRequest: 0, connectTimeout: 2000 });
  const before = client();
  await before.set(key, 'alice');
  const runIdBefore = /run_id:(\w+)/.exec(await before.info('server'))?.[1];
  before.disconnect();
  const fault = await inject(env, input);
  await fault.revert?.();
  const after = client();
  try {
    const runIdAfter = /run_id:(\w+)/.exec(await after.info('server'))?.[1];
    return { newServer: runIdAfter !== undefined && runIdAfter !== runIdBefore, value: await after.get(key) };
  } finally {
    after.disconnect();
  }
}

describe.each([
  {
    persistence: { rdb: false, aof: false },
    expected: { restart: null, restartSaving: 'alice', kill: null },
  },
  {
    // no snapshot is due yet (save 3600 1 …): only SHUTDOWN SAVE writes one
    persistence: { rdb: true, aof: false },
    expected: { restart: null, restartSaving: 'alice', kill: null },
  },
  {
    // every write is in the append-only file before its reply, and the kernel keeps it past a SIGKILL
    persistence: { rdb: false, aof: true },
    expected: { restart: 'alice', restartSaving: 'alice', kill: 'alice' },
  },
])('persistence $persistence', ({ persistence, expected }) => {
  let env: StartedEnvironment;
  beforeAll(async () => {
    env = await startLocalEnvironment({ runId: 'restartpersist', redis: { persistence }, postgres: false });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('restart (SHUTDOWN NOSAVE)', async () => {
    expect(await seenAfter(env, { kind: 'restart', on: 'redis' })).toEqual({
      newServer: true,
      value: expected.restart,
    });
  });

  it('restart with save: true (SHUTDOWN SAVE)', async () => {
    expect(await seenAfter(env, { kind: 'restart', on: 'redis', save: true })).toEqual({
      newServer: true,
      value: expected.restartSaving,
    });
  });

  it('kill -9, started again by the revert', async () => {
    expect(await seenAfter(env, { kind: 'kill', on: 'redis' })).toEqual({ newServer: true, value: expected.kill });
  });
});
