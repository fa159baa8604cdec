// The directive list lint checks names against, held against a live redis-server 7.0: every config the server has
// is in the list, and a name that is not in the list is refused by the server when it starts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CachequakeError } from '../../src/errors/index.ts';
import { redisDirectives } from '../../src/lint/redis-directives.ts';
import { startRedis } from '../../src/runtimes/local/index.ts';

describe('redis-server 7.0 directives', () => {
  it('every name CONFIG GET * returns is a known directive, and the hidden debug configs too', async () => {
    await using redis = await startRedis({ startTimeoutMs: 5000 });
    const reply = (await redis.admin.call('CONFIG', 'GET', '*')) as string[];
    const names = reply.filter((_, i) => i % 2 === 0);
    expect(names.length).toBeGreaterThan(150);
    expect(names.filter((n) => !redisDirectives.has(n))).toEqual([]);
    for (const hidden of ['watchdog-period', 'key-load-delay']) {
      expect(((await redis.admin.call('CONFIG', 'GET', hidden)) as string[])[0]).toBe(hidden);
    }
  });

  it('a name outside the list makes redis-server refuse the file; one inside it (an alias) is accepted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cq-directives-'));
    try {
      await writeFile(join(dir, 'typo.conf'), 'maxmemory-polcy noeviction\n');
      expect(redisDirectives.has('maxmemory-polcy')).toBe(false);
      const refused = await startRedis({ configFile: join(dir, 'typo.conf'), dir, startTimeoutMs: 5000 }).then(
        async (r) => {
          await r.stop();
          return 'started';
        },
        (error: unknown) => error,
      );
      expect((refused as CachequakeError).format()).toMatch(/Bad directive/);
      await writeFile(join(dir, 'alias.conf'), 'hash-max-ziplist-entries 64\n');
      expect(redisDirectives.has('hash-max-ziplist-entries')).toBe(true);
      await using accepted = await startRedis({ configFile: join(dir, 'alias.conf'), dir, startTimeoutMs: 5000 });
      expect(((await accepted.admin.call('CONFIG', 'GET', 'hash-max-listpack-entries')) as string[])[1]).toBe('64');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
