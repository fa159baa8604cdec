// The RESP layer on raw bytes: 1,000-command pipelines cut at random, byte-for-byte identity, RESP3, 12 MB bulk
// strings.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { redisErrorTexts } from '../../src/resp/index.ts';
import {
  command,
  rawConnection,
  seededRandom,
  startRespLink,
  writeInPieces,
  type RespLink,
} from './fixtures/resp-link.ts';
import { RespReader } from './fixtures/resp-reader.ts';

const run = promisify(execFile);
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
let link: RespLink | undefined;

afterEach(async () => {
  await link?.stop();
  link = undefined;
});

/** 1,000 assorted commands: writes, reads, inline commands, empty lines, binary values of random sizes. */
function mixedPipeline(random: () => number): { bytes: Buffer; count: number } {
  const parts: Buffer[] = [];
  let count = 0;
  for (let i = 0; i < 1000; i++) {
    const pick = i % 5;
    if (pick === 0)
      parts.push(
        command(
          'SET',
          `k:${i}`,
          Buffer.from(Array.from({ length: Math.floor(random() * 3000) }, () => Math.floor(random() * 256))),
        ),
      );
    else if (pick === 1) parts.push(command('GET', `k:${i - 1}`));
    else if (pick === 2) parts.push(Buffer.from(i % 10 === 2 ? `PING\r\n\r\n` : `INCR counter\r\n`));
    else if (pick === 3) parts.push(command('HSET', `h:${i % 7}`, `f${i}`, 'v'));
    else parts.push(command('LRANGE', 'missing', '0', '-1'));
    count++;
  }
  return { bytes: Buffer.concat(parts), count };
}

describe('unmatched traffic', () => {
  it.each([
    ['no rules', []],
    [
      'rules that match nothing here',
      [
        { action: 'error', commands: ['SET'], keys: 'session:*', error: 'OOM' },
        { action: 'delay', commands: ['EXPIRE'], latencyMs: 50 },
      ],
    ],
  ])('%s: 1,000 pipelined commands cut at random arrive byte for byte both ways', async (_name, rules) => {
    link = await startRespLink();
    await link.rules(rules);
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const { bytes, count } = mixedPipeline(random);
      const socket = await rawConnection(link.port);
      const reader = new RespReader(socket);
      const toServerBefore = link.recorded.toServerBytes;
      const pieces = await writeInPieces(socket, bytes, 1 + seed * 40, random);
      const replies = await reader.take(count);
      socket.destroy();
      expect(pieces).toBeGreaterThan(bytes.length / (2 + seed * 40));
      expect(replies).toHaveLength(count);
      expect(link.recorded.toServerBytes - toServerBefore).toBe(bytes.length);
    }
    // Every connection's bytes hashed at the server side equal what the clients sent and received.
    const sent: Buffer[] = [];
    for (const seed of [1, 2, 3]) sent.push(mixedPipeline(seededRandom(seed)).bytes);
    expect(link.recorded.toServer.copy().digest('hex')).toBe(sha(Buffer.concat(sent)));
  });

  it('the bytes a client receives are the bytes redis-server sent', async () => {
    link = await startRespLink();
    await link.rules([{ action: 'error', commands: ['FLUSHALL'], error: 'OOM' }]);
    const random = seededRandom(7);
    const { bytes, count } = mixedPipeline(random);
    const socket = await rawConnection(link.port);
    const reader = new RespReader(socket);
    await writeInPieces(socket, bytes, 97, random);
    await reader.take(count);
    socket.destroy();
    expect(sha(Buffer.concat(reader.received))).toBe(link.recorded.toClient.copy().digest('hex'));
  });
});

describe('rules under random cuts', () => {
  it('1,000 commands: matched ones get the error, delayed ones come late, every reply in its place', async () => {
    link = await startRespLink();
    await link.rules([
      { action: 'error', commands: ['SET'], keys: 'session:*', error: 'OOM' },
      { action: 'delay', commands: ['GET'], keys: 'slow:*', latencyMs: 20 },
    ]);
    for (const seed of [11, 12]) {
      await link.redis.admin.flushall();
      const random = seededRandom(seed);
      const parts: Buffer[] = [];
      const forwarded: Buffer[] = [];
      const expected: unknown[] = [];
      const written = new Map<string, string>();
      for (let i = 0; i < 1000; i++) {
        const kind = Math.floor(random() * 4);
        const value = `v${seed}:${i}:${'x'.repeat(Math.floor(random() * 200))}`;
        const bytes =
          kind === 0
            ? command('SET', `session:${i}`, value)
            : kind === 1
              ? command('SET', `other:${i}`, value)
              : kind === 2
                ? command('GET', `other:${i - 1}`)
                : command('GET', `slow:${i}`);
        parts.push(bytes);
        if (kind !== 0) forwarded.push(bytes);
        if (kind === 1) written.set(`other:${i}`, value);
        expected.push(
          kind === 0
            ? { error: redisErrorTexts.OOM }
            : kind === 1
              ? 'OK'
              : kind === 2
                ? (written.get(`other:${i - 1}`) ?? null)
                : null,
        );
      }
      const socket = await rawConnection(link.port);
      const reader = new RespReader(socket);
      const before = link.recorded.toServerBytes;
      await writeInPieces(socket, Buffer.concat(parts), 1 + Math.floor(random() * 300), random);
      const replies = await reader.take(1000, 30_000);
      socket.destroy();
      expect(replies).toEqual(expected);
      expect(link.recorded.toServerBytes - before).toBe(Buffer.concat(forwarded).length);
    }
  });
});

describe('RESP3', () => {
  it('HELLO 3, maps, sets, doubles and push frames pass; a rule still answers in RESP order', async () => {
    link = await startRespLink();
    await link.rules([
      { action: 'error', commands: ['SET'], keys: 'session:*', error: 'LOADING' },
      { action: 'delay', commands: ['SMEMBERS'], latencyMs: 50 },
    ]);
    const socket = await rawConnection(link.port);
    const reader = new RespReader(socket);
    const other = await rawConnection(link.port);
    const otherReader = new RespReader(other);
    const random = seededRandom(3);
    const pipeline = Buffer.concat([
      command('HELLO', '3'),
      command('HSET', 'h', 'a', '1', 'b', '2'),
      command('HGETALL', 'h'),
      command('SADD', 's', 'x'),
      command('SMEMBERS', 's'),
      command('SET', 'session:1', 'v'),
      command('ZADD', 'z', '1.5', 'm'),
      command('ZSCORE', 'z', 'm'),
      command('CLIENT', 'TRACKING', 'on'),
      command('GET', 'tracked'),
    ]);
    await writeInPieces(socket, pipeline, 5, random);
    const replies = await reader.take(10);
    expect((replies[0] as Map<unknown, unknown>).get('proto')).toBe(3);
    expect(replies.slice(1)).toEqual([
      2,
      new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
      1,
      ['x'],
      { error: redisErrorTexts.LOADING },
      1,
      1.5,
      'OK',
      null,
    ]);
    // Another client writes the tracked key: the server pushes an invalidation (>) to the first connection.
    other.write(command('SET', 'tracked', '1'));
    await otherReader.take(1);
    expect(await reader.take(1)).toEqual([{ push: ['invalidate', ['tracked']] }]);
    socket.write(command('SMEMBERS', 's'));
    expect(await reader.take(1)).toEqual([['x']]);
    socket.destroy();
    other.destroy();
  });

  it('redis-cli -3 through the layer', async () => {
    link = await startRespLink();
    await link.rules([{ action: 'error', commands: ['HSET'], keys: 'locked:*', error: 'BUSY' }]);
    await run('redis-cli', ['-3', '-p', String(link.port), 'HSET', 'h', 'f', 'v']);
    expect((await run('redis-cli', ['-3', '-p', String(link.port), 'HGETALL', 'h'])).stdout.trim()).toBe('f v');
    expect((await run('redis-cli', ['-3', '-p', String(link.port), 'HSET', 'locked:1', 'f', 'v'])).stdout.trim()).toBe(
      redisErrorTexts.BUSY,
    );
  });
});

describe('large bulk strings', () => {
  it('a 12 MB value cut into pieces goes in and comes back delayed; a 12 MB write refused never reaches Redis', async () => {
    link = await startRespLink();
    await link.rules([
      { action: 'delay', commands: ['GET'], keys: 'big', latencyMs: 100 },
      { action: 'error', commands: ['SET'], keys: 'huge:*', error: 'OOM' },
    ]);
    const random = seededRandom(5);
    const value = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < value.length; i += 4096) value.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
    const socket = await rawConnection(link.port);
    const reader = new RespReader(socket);
    const before = link.recorded.toServerBytes;
    await writeInPieces(
      socket,
      Buffer.concat([command('SET', 'huge:1', value), command('SET', 'big', value), command('PING')]),
      256 * 1024,
      random,
    );
    expect(await reader.take(3, 30_000)).toEqual([{ error: redisErrorTexts.OOM }, 'OK', 'PONG']);
    expect(link.recorded.toServerBytes - before).toBe(command('SET', 'big', value).length + command('PING').length);
    const started = performance.now();
    socket.write(command('GET', 'big'));
    const received = Buffer.concat(reader.received).length;
    const [big] = await reader.take(1, 30_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(Buffer.concat(reader.received).length - received).toBe(`$${value.length}\r\n`.length + value.length + 2);
    expect(sha(Buffer.from(big as string, 'utf8'))).toBe(sha(Buffer.from(value.toString('utf8'), 'utf8')));
    expect((await link.redis.admin.getBuffer('big'))?.equals(value)).toBe(true);
    expect(await link.redis.admin.exists('huge:1')).toBe(0);
    socket.destroy();
  });
});
