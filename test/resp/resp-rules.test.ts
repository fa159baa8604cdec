// Each RESP rule kind on real commands through the proxy to a real redis-server, with ioredis and redis-cli as clients.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisErrorTexts } from '../../src/resp/index.ts';
import { startRespLink, type RespLink } from './fixtures/resp-link.ts';

const run = promisify(execFile);
let link: RespLink;

beforeAll(async () => {
  link = await startRespLink();
});
afterAll(async () => {
  await link?.stop();
});
beforeEach(async () => {
  await link.rules([]);
  await link.redis.admin.flushall();
});

describe('error replies', () => {
  it.each(Object.entries(redisErrorTexts))(
    '%s: the matching command gets the real text and never reaches Redis',
    async (code, text) => {
      const c = link.client();
      await link.rules([{ action: 'error', commands: ['SET'], keys: 'session:*', error: code }]);
      await expect(c.set('session:1', 'v')).rejects.toThrow(text);
      expect(await c.set('cart:1', 'v')).toBe('OK');
      expect(await link.redis.admin.exists('session:1')).toBe(0);
      expect(await link.redis.admin.get('cart:1')).toBe('v');
    },
  );

  it('a custom text, case-insensitive command names, a glob with ? and [] and the matched count read back', async () => {
    const c = link.client();
    await link.rules([
      {
        name: 'custom',
        action: 'error',
        commands: ['expire'],
        keys: 'user:?[ab]',
        error: 'TRYAGAIN Multiple keys request during rehashing of slot',
      },
    ]);
    await c.set('user:1a', 'v');
    await expect(c.expire('user:1a', 100)).rejects.toThrow('TRYAGAIN Multiple keys request during rehashing of slot');
    expect(await c.expire('user:1c', 100)).toBe(0);
    expect(await c.expire('user:12a', 100)).toBe(0);
    const state = await link.rules([]);
    expect(state.body.rules).toEqual([]);
  });

  it('redis-cli sees the error; a rule changed live applies to a connection opened before', async () => {
    const c = link.client();
    expect(await c.set('session:live', '1')).toBe('OK');
    await link.rules([{ action: 'error', commands: ['SET'], error: 'READONLY' }]);
    await expect(c.set('session:live', '2')).rejects.toThrow("READONLY You can't write against a read only replica.");
    const cli = await run('redis-cli', ['-p', String(link.port), 'SET', 'k', 'v']);
    expect(cli.stdout.trim()).toBe("READONLY You can't write against a read only replica.");
    await link.rules([]);
    expect(await c.set('session:live', '3')).toBe('OK');
    expect((await run('redis-cli', ['-p', String(link.port), 'GET', 'session:live'])).stdout.trim()).toBe('3');
  });

  it('probability 0.2 hits about a fifth of 2,000 commands', async () => {
    const c = link.client();
    await link.rules([{ name: 'p', action: 'error', commands: ['INCR'], probability: 0.2, error: 'OOM' }]);
    const pipeline = c.pipeline();
    for (let i = 0; i < 2000; i++) pipeline.incr('counter');
    const results = (await pipeline.exec()) ?? [];
    const refused = results.filter(([error]) => error !== null).length;
    expect(refused).toBeGreaterThan(320);
    expect(refused).toBeLessThan(480);
    expect(Number(await link.redis.admin.get('counter'))).toBe(2000 - refused);
    const res = await fetch(`${link.api.url}/proxies/redis/redis-rules`);
    expect(((await res.json()) as { rules: { matched: number }[] }).rules[0]?.matched).toBe(refused);
  });
});

describe('delayed replies', () => {
  it('delays only matching commands and keeps every reply in order in a pipeline', async () => {
    const c = link.client();
    const other = link.client();
    await c.set('a', '1');
    await link.rules([{ action: 'delay', commands: ['GET'], keys: 'slow:*', latencyMs: 300 }]);
    const started = performance.now();
    const pipelined = c.pipeline().get('slow:1').get('a').set('b', '2').get('b').exec();
    // another connection is not held behind it
    const otherStarted = performance.now();
    expect(await other.get('a')).toBe('1');
    expect(performance.now() - otherStarted).toBeLessThan(100);
    expect(await pipelined).toEqual([
      [null, null],
      [null, '1'],
      [null, 'OK'],
      [null, '2'],
    ]);
    const tookMs = performance.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(295);
    expect(tookMs).toBeLessThan(800);
    // the command itself ran at once: the write behind the delayed GET was in Redis before its reply came
    expect(await link.redis.admin.get('b')).toBe('2');
  });
});

describe('dropped replies and closes', () => {
  it('drop: the command runs, its reply never comes, that connection hangs; others work', async () => {
    const c = link.client({ commandTimeout: 400 });
    await link.rules([{ action: 'drop', commands: ['SET'], keys: 'lost:*' }]);
    await expect(c.set('lost:1', 'written')).rejects.toThrow('Command timed out');
    expect(await link.redis.admin.get('lost:1')).toBe('written');
    const fresh = link.client();
    expect(await fresh.set('kept', '1')).toBe('OK');
  });

  it('close: the connection closes on the matching command, which does not run; replies before it arrive', async () => {
    const c = link.client({ retryStrategy: () => null });
    await link.rules([{ action: 'close', commands: ['DEL'] }]);
    const results = (await c.pipeline().set('x', '1').get('x').del('x').get('x').exec()) ?? [];
    expect(results.slice(0, 2)).toEqual([
      [null, 'OK'],
      [null, '1'],
    ]);
    expect(results.slice(2).map(([error]) => (error as Error | null)?.message)).toEqual([
      'Command aborted due to connection close',
      'Command aborted due to connection close',
    ]);
    expect(await link.redis.admin.get('x')).toBe('1');
  });

  it('a bad rule is refused with the field and value; nothing changes', async () => {
    await link.rules([{ name: 'keep', action: 'delay', latencyMs: 10 }]);
    const bad = await link.rules([{ action: 'explode' }]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain(
      'rules[0].action must be one of error, delay, drop, close, got \\"explode\\"',
    );
    const state = (await (await fetch(`${link.api.url}/proxies/redis/redis-rules`)).json()) as {
      rules: { name: string }[];
    };
    expect(state.rules.map((r) => r.name)).toEqual(['keep']);
  });
});
