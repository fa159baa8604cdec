// The cache contract as plain requests: the read of one id, and the part of its answer that must not change.
import { invalidInput } from '../errors/index.ts';
import type { CacheSection } from './cache-read-schema.ts';
import type { LoadedTarget } from './load-target.ts';
import { renderTemplate } from './placeholders.ts';
import type { RequestSpec } from './session-contract.ts';

/** The target's cache section; a target without one has no read path to check, and `needs` says what wanted one. */
export function cacheOf(target: LoadedTarget, needs = 'a cache.* expectation'): CacheSection {
  const { cache } = target.manifest;
  if (cache) return cache;
  throw invalidInput(
    'CQ_TARGET_NO_CACHE',
    `target ${target.name} has no cache section, but ${needs} needs one; nothing was started.`,
    {
      file: target.file,
      hint: 'Add cache: { read: { path: /items/{{id}} }, ids: { from: 1, to: 100 } } to the manifest, or drop the cache.* expectation.',
    },
  );
}

/** Every id of cache.ids, in order. */
export function cacheIds(cache: CacheSection): number[] {
  return Array.from({ length: cache.ids.to - cache.ids.from + 1 }, (_, i) => cache.ids.from + i);
}

export function cacheReadRequest(cache: CacheSection, id: number): RequestSpec {
  const headers = Object.fromEntries(Object.entries(cache.read.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: cache.read.method, path: renderTemplate(cache.read.path, { id }, 'cache.read.path'), headers };
}

/**
 * What of an answer is compared with the baseline: the status and the body, without the top-level JSON fields
 * `ignoreFields` names (a body that is not a JSON object is compared whole).
 */
export function cacheAnswer(cache: CacheSection, status: number, body: string): string {
  if (cache.ignoreFields.length === 0) return `${status} ${body}`;
  try {
    const value: unknown = JSON.parse(body);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const kept = Object.entries(value).filter(([k]) => !cache.ignoreFields.includes(k));
      return `${status} ${JSON.stringify(Object.fromEntries(kept))}`;
    }
  } catch {
    // not JSON: compared whole
  }
  return `${status} ${body}`;
}
