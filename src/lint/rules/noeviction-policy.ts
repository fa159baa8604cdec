// Rule noeviction-policy: with a maxmemory and noeviction, writes fail with OOM at the limit — safe for sessions, loud
// for users.
import type { LintRule } from '../lint-types.ts';

export const noevictionPolicy: LintRule = {
  id: 'noeviction-policy',
  severity: 'info',
  title: 'noeviction: writes fail with OOM at maxmemory (no key is lost)',
  explanation:
    'Under noeviction Redis evicts nothing; at the limit SET, INCR, LPUSH and writing scripts fail with OOM while GET, DEL and EXPIRE still work ' +
    '(measured on Redis 7.0.15). No session is lost, but new logins fail until memory is freed. The limit is fuzzy by about 100 KB.',
  fix: 'Alert on used_memory near maxmemory and make the service degrade clearly on OOM errors (run the fill-memory experiment).',
  check({ config }) {
    if (config.policy.value !== 'noeviction' || config.maxmemoryBytes.value === 0) return [];
    return [
      {
        directive: config.policy.directive ?? config.maxmemoryBytes.directive,
        message:
          'noeviction with a maxmemory: at the limit every write (new logins too) fails with OOM; no key is lost',
      },
    ];
  },
};
