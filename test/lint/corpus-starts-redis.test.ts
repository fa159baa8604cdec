// Proof the corpus is real redis.conf: each file redis-server should accept starts a real server that agrees with the
// parser, each bad one is refused.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachequakeError } from '../../src/errors/index.ts';
import { effectiveConfig, openDangerousCommands } from '../../src/lint/index.ts';
import { loadRedisConf } from '../../src/redis-conf/index.ts';
import { startRedis } from '../../src/runtimes/local/index.ts';
import { corpus, corpusDir } from './corpus.ts';

// redis-server resolves relative include and aclfile paths against its working directory, which the runtime sets to the
// server's own dir: so each file starts from a fresh copy of the whole corpus, used as that dir.
let copies: string[] = [];
async function corpusCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cq-corpus-'));
  copies.push(dir);
  await cp(corpusDir, dir, { recursive: true });
  return dir;
}
beforeAll(() => {
  copies = [];
});
afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })));
});

function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

describe('the corpus under a real redis-server', () => {
  it.each(corpus.filter((e) => e.redisAccepts === true))(
    '$file starts, and Redis reports what the parser read',
    async ({ file, startConfig }) => {
      const dir = await corpusCopy();
      const config = effectiveConfig(loadRedisConf(join(dir, file), { cwd: dir }));
      await using redis = await startRedis({
        configFile: join(dir, file),
        dir,
        config: startConfig,
        startTimeoutMs: 5000,
      });
      const info = await redis.admin.info();
      expect(Number(infoField(info, 'maxmemory'))).toBe(config.maxmemoryBytes.value);
      expect(infoField(info, 'maxmemory_policy')).toBe(config.policy.value);
      expect(infoField(info, 'aof_enabled')).toBe(config.appendonly.value ? '1' : '0');
      // what the ACL evaluation says the default user may run, against Redis's own answer
      const openInRedis: string[] = [];
      for (const [name, args] of [
        ['FLUSHALL', ['flushall']],
        ['FLUSHDB', ['flushdb']],
        ['CONFIG', ['config', 'set', 'maxmemory', '1']],
      ] as const) {
        const reply = await redis.admin
          .call('ACL', 'DRYRUN', 'default', ...args)
          .catch((error: Error) => error.message);
        if (reply === 'OK') openInRedis.push(name);
      }
      expect(openInRedis).toEqual(openDangerousCommands(config).filter((c) => c !== 'DEBUG'));
    },
  );

  it.each(corpus.filter((e) => e.redisAccepts === false))('$file is refused by redis-server too', async ({ file }) => {
    const refusal = /FATAL CONFIG FILE ERROR|rejected the directive|ACL/;
    const dir = await corpusCopy();
    const started = await startRedis({ configFile: join(dir, file), dir, startTimeoutMs: 5000 }).then(
      async (redis) => {
        await redis.stop();
        return 'started';
      },
      (error: unknown) => error,
    );
    expect(started).toBeInstanceOf(CachequakeError);
    expect((started as CachequakeError).format()).toMatch(refusal);
  });
});
