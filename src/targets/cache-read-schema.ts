// The zod schema of a target's `cache:` section: a read path whose answer must stay what it was at baseline.
import { z } from 'zod';
import { cachePlaceholders } from './placeholders.ts';
import { templated } from './templated-string.ts';

/** At most this many ids are read at baseline and again at the end. */
export const maxCacheIds = 10_000;

const idPath = templated(
  cachePlaceholders,
  'the cache read path',
  z
    .string()
    .startsWith('/', 'must start with "/"')
    .regex(/\{\{\s*id\s*\}\}/, 'must contain {{id}}, e.g. /products/{{id}}'),
).describe('The path of one cached item, with {{id}}, e.g. /products/{{id}}');

export const cacheReadSchema = z
  .strictObject({
    method: z.enum(['GET', 'HEAD']).default('GET'),
    path: idPath,
    headers: z.record(z.string(), z.string()).optional().describe('Extra request headers'),
  })
  .describe('The read whose answer must not change: the body seen at baseline is the right one');

export const cacheIdsSchema = z
  .strictObject({
    from: z.int().min(0).describe('The first id (inclusive)'),
    to: z.int().min(0).describe('The last id (inclusive)'),
  })
  .refine((ids) => ids.to >= ids.from, { message: 'to must be at least from', path: ['to'] })
  .refine((ids) => ids.to - ids.from < maxCacheIds, {
    message: `at most ${maxCacheIds} ids (to - from + 1)`,
    path: ['to'],
  })
  .describe('The ids {{id}} takes: each is read at baseline, sampled during the run and read again at the end');

export const cacheSchema = z
  .strictObject({
    read: cacheReadSchema,
    ids: cacheIdsSchema,
    ignoreFields: z
      .array(z.string().min(1))
      .default([])
      .describe('Top-level JSON fields left out of the comparison, e.g. servedAt or source'),
  })
  .describe('Cache data: the read path experiments check with cache.stale (no session needed)');

export type CacheSection = z.output<typeof cacheSchema>;
