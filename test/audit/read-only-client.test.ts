// The audit's client refuses every command off the read-only allowlist before sending it — direct calls and pipelines —
// even as an admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectReadOnly, readOnlyAllowlist, refusalFor } from '../../src/audit/index.ts';
import { CachequakeError } from '../../src/errors/index.ts';
import { startRedis, type StartedRedis } from '../../src/runtimes/local/index.ts';
import { commandCalls } from './seeded-redis.ts';

let redis: StartedRedis;
beforeAll(async () => {
  redis = await startRedis();
  await redis.admin.set('session:1', 'alive');
});
afterAll(async () => {
  await redis?.stop();
});

describe('read-only allowlist', () => {
  it.each([
    ['FLUSHALL', []],
    ['FLUSHDB', ['ASYNC']],
    ['KEYS', ['*']],
    ['DEL', ['session:1']],
    ['SET', ['k', 'v']],
    ['CONFIG', ['SET', 'maxmemory', '1']],
    ['CONFIG', ['RESETSTAT']],
    ['DEBUG', ['SLEEP', '1']],
    ['SHUTDOWN', ['NOSAVE']],
    ['EVAL', ['return 1', '0']],
    ['CLIENT', ['KILL', 'TYPE', 'normal']],
    ['SWAPDB', ['0', '1']],
  ])('refuses %s %j', (name, args) => {
    const refusal = refusalFor(name, args);
    expect(refusal).toBeInstanceOf(CachequakeError);
    expect(refusal?.code).toBe('CQ_AUDIT_COMMAND_REFUSED');
    expect(refusal?.message).toContain('nothing was sent');
  });

  it.each([
    ['INFO', ['memory']],
    ['config', ['get', 'maxmemory']],
    ['SCAN', ['0']],
    ['PTTL', ['k']],
    ['MEMORY', ['USAGE', 'k']],
    ['DBSIZE', []],
  ])('allows %s %j', (name, args) => {
    expect(refusalFor(name, args)).toBeUndefined();
  });

  it('has only reads on it', () => {
    expect([...readOnlyAllowlist].sort()).toEqual([
      'auth',
      'config|get',
      'dbsize',
      'hello',
      'info',
      'memory|usage',
      'ping',
      'pttl',
      'scan',
      'select',
    ]);
  });
});

describe('connectReadOnly', () => {
  it('rejects refused commands without sending them, even with an admin connection, and keeps working', async () => {
    const before = await commandCalls(redis.admin);
    await using client = await connectReadOnly(redis.url);
    await expect(client.call('FLUSHALL')).rejects.toThrow(/the audit client refused FLUSHALL/);
    await expect(client.call('CONFIG', 'SET', 'maxmemory', '1')).rejects.toThrow(/refused CONFIG SET/);
    await expect(client.call('KEYS', '*')).rejects.toThrow(/refused KEYS/);
    await expect(client.pipeline([['PTTL', 'session:1'], ['DEL', 'session:1'], ['DBSIZE']])).rejects.toThrow(
      /refused DEL/,
    );
    const piped = await client.pipeline([['PTTL', 'session:1'], ['DBSIZE']]);
    expect(piped.map((r) => r.error ?? r.value)).toEqual([-1, 1]);
    expect(await client.call('DBSIZE')).toBe(1);
    const after = await commandCalls(redis.admin);
    for (const name of ['flushall', 'config|set', 'keys', 'del'])
      expect(after.get(name) ?? 0).toBe(before.get(name) ?? 0);
    // the refused pipeline's PTTL was not sent either: only the second pipeline's one arrived
    expect((after.get('pttl') ?? 0) - (before.get('pttl') ?? 0)).toBe(1);
    expect(await redis.admin.get('session:1')).toBe('alive');
    expect(await redis.admin.config('GET', 'maxmemory')).toEqual(['maxmemory', '0']);
  });

  it('says which URL was wrong, redacting the password', async () => {
    const error = await connectReadOnly(`redis://nobody:hunter2@127.0.0.1:${redis.port}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CachequakeError);
    expect((error as CachequakeError).code).toBe('CQ_AUDIT_AUTH_FAILED');
    expect((error as CachequakeError).message).not.toContain('hunter2');
    await expect(connectReadOnly('http://127.0.0.1:1')).rejects.toThrow(/Expected a redis:\/\/ or rediss:\/\/ URL/);
  });
});
