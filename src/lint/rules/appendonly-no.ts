// Rule appendonly-no: neither AOF nor snapshots — every restart starts empty, and every session is gone.
import type { LintRule } from '../lint-types.ts';

export const appendonlyNo: LintRule = {
  id: 'appendonly-no',
  severity: 'warning',
  title: 'appendonly no and no snapshots: nothing survives a restart',
  explanation:
    'With `appendonly no` and `save ""` Redis keeps data only in memory: a crash, a restart or a failover to a fresh replica comes back with an empty dataset; ' +
    'for sessions that is every user logged out at once. Right for a pure cache, wrong for data that must survive a restart.',
  fix: 'For sessions set `appendonly yes` (with `appendfsync everysec`); keep `appendonly no` only for data that can be rebuilt.',
  check({ config }) {
    if (config.appendonly.value || config.save.points.length > 0) return [];
    return [
      {
        directive: config.appendonly.directive,
        message: `${config.appendonly.directive ? 'appendonly no' : 'no appendonly line (default no)'} and no save points: every restart starts with an empty dataset`,
      },
    ];
  },
};
