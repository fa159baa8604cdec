// Cache-data targets: session is optional, a cache section names the read path; the schema refuses what cannot work
// without a session or without cache ids, naming the field.
import { describe, expect, it } from 'vitest';
import { cacheAnswer, cacheReadRequest, resolveTarget, targetFromObject } from '../../src/targets/index.ts';
import type { TargetManifestInput } from '../../src/targets/index.ts';

const base: TargetManifestInput = {
  name: 'catalogue',
  command: 'node',
  health: { path: '/health' },
  cache: { read: { path: '/products/{{id}}' }, ids: { from: 1, to: 50 } },
  traffic: [{ path: '/products/{{id}}' }],
};

describe('a target without session', () => {
  it('loads with a cache section and fills its defaults', () => {
    const target = targetFromObject(base, '/srv');
    expect(target.manifest.session).toBeUndefined();
    expect(target.manifest.cache).toEqual({
      read: { method: 'GET', path: '/products/{{id}}' },
      ids: { from: 1, to: 50 },
      ignoreFields: [],
    });
  });

  it('refuses auth: true traffic, naming traffic[i].auth', () => {
    expect(() => targetFromObject({ ...base, traffic: [{ path: '/', auth: true }] }, '/srv')).toThrow(
      /traffic\[0\]\.auth: received true \(boolean\); auth: true needs a session section/,
    );
  });

  it('refuses {{id}} in traffic without a cache section, and a cache path without {{id}}', () => {
    const { cache: _cache, ...noCache } = base;
    expect(() => targetFromObject(noCache, '/srv')).toThrow(
      /traffic\[0\]\.path: received .*; \{\{id\}\} takes its values from cache\.ids/,
    );
    expect(() =>
      targetFromObject({ ...base, cache: { read: { path: '/products/1' }, ids: { from: 1, to: 2 } } }, '/srv'),
    ).toThrow(/cache\.read\.path: received .*must contain \{\{id\}\}/);
  });

  it('refuses an empty or oversized id range, naming cache.ids.to', () => {
    const withIds = (from: number, to: number) => ({
      ...base,
      cache: { read: { path: '/p/{{id}}' }, ids: { from, to } },
    });
    expect(() => targetFromObject(withIds(10, 9), '/srv')).toThrow(
      /cache\.ids\.to: received 9 \(number\); to must be at least from/,
    );
    expect(() => targetFromObject(withIds(0, 20_000), '/srv')).toThrow(
      /cache\.ids\.to: received 20000 \(number\); at most 10000 ids/,
    );
  });

  it('renders the read of one id and compares answers without the ignored fields', () => {
    const target = targetFromObject(
      {
        ...base,
        cache: {
          read: { path: '/products/{{id}}', headers: { Accept: 'application/json' } },
          ids: { from: 1, to: 2 },
          ignoreFields: ['at'],
        },
      },
      '/srv',
    );
    const cache = target.manifest.cache;
    if (!cache) throw new Error('cache section missing');
    expect(cacheReadRequest(cache, 7)).toEqual({
      method: 'GET',
      path: '/products/7',
      headers: { accept: 'application/json' },
    });
    expect(cacheAnswer(cache, 200, '{"id":7,"at":1}')).toBe(cacheAnswer(cache, 200, '{"id":7,"at":2}'));
    expect(cacheAnswer(cache, 200, '{"id":7}')).not.toBe(cacheAnswer(cache, 404, '{"id":7}'));
    expect(cacheAnswer(cache, 200, 'plain text')).toBe('200 plain text');
  });

  it('the bundled catalogue-service has no session and a cache read path', async () => {
    const target = await resolveTarget('catalogue-service');
    expect(target.bundled).toBe(true);
    expect(target.needsPostgres).toBe(true);
    expect(target.manifest.session).toBeUndefined();
    expect(target.manifest.cache?.read.path).toBe('/products/{{id}}');
  });
});
