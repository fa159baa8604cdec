// Rule save-without-aof: RDB snapshots without AOF are a point-in-time copy, not durability — and they copy an emptied
// dataset faithfully.
import type { LintRule } from '../lint-types.ts';

export const saveWithoutAof: LintRule = {
  id: 'save-without-aof',
  severity: 'warning',
  title: 'RDB snapshots (save) without AOF, relied on as a backup',
  explanation:
    'A `save` point writes the dataset to dump.rdb at intervals; a crash loses every write since the last snapshot (up to the longest interval). ' +
    'And a snapshot copies whatever is in memory: after a mass eviction or a FLUSHALL the next snapshot saves the empty state over the good one. ' +
    'Without a `save` line Redis 7.0 snapshots by default (3600 1 300 100 60 10000).',
  fix: 'For data that must survive, set `appendonly yes` (appendfsync everysec loses about a second) and keep copies of dump.rdb elsewhere; for a pure cache, `save ""`.',
  check({ config }) {
    if (config.appendonly.value || config.save.points.length === 0) return [];
    const points = config.save.points.map((p) => `${p.seconds}s/${p.changes}`).join(', ');
    const directive = config.save.directives.at(-1) ?? config.appendonly.directive;
    const source = config.save.directives.length === 0 ? "Redis's default save points" : 'save points';
    return [
      {
        directive,
        message: `${source} (${points}) without appendonly: a crash loses the writes since the last snapshot, and a snapshot after an eviction or flush keeps the loss`,
      },
    ];
  },
};
