// Rule maxmemory-missing: without maxmemory Redis grows until the kernel's OOM killer ends it, and every key in memory
// with it.
import type { LintRule } from '../lint-types.ts';

export const maxmemoryMissing: LintRule = {
  id: 'maxmemory-missing',
  severity: 'warning',
  title: 'maxmemory is not set (or 0): no limit, no eviction policy applies',
  explanation:
    'With maxmemory 0 (the default on 64-bit builds) Redis never evicts and never refuses a write: it grows until the machine runs out of memory ' +
    'and the kernel kills it, losing everything since the last snapshot. The eviction policy only takes effect once maxmemory is set.',
  fix: 'Set maxmemory to what this instance may use, leaving room for fork copy-on-write during snapshots and for the OS, e.g. `maxmemory 20gb` on a 32 GB machine without persistence.',
  check({ config }) {
    const { value, directive } = config.maxmemoryBytes;
    if (value !== 0) return [];
    return [
      {
        directive,
        message: directive
          ? 'maxmemory 0 means no limit: Redis grows until the OOM killer stops it'
          : 'no maxmemory line: Redis grows until the OOM killer stops it',
      },
    ];
  },
};
