// Lines redis-server refuses to load (bad quoting, a bad value, a missing include, an include cycle): one finding each,
// all reported at once, from the problems the loader collected.
import type { ConfProblem } from '../../redis-conf/index.ts';
import type { LintRule, RuleHit } from '../lint-types.ts';

function hitsOf(problems: readonly ConfProblem[], codes: readonly ConfProblem['code'][]): RuleHit[] {
  return problems
    .filter((p) => codes.includes(p.code))
    .map((p) => ({
      message: `${p.message.replace(/^[^:]+:\d+: /, '')} (${p.code})`,
      at: { file: p.file, line: p.line, text: p.text },
      fix: p.hint,
    }));
}

export const unloadableLine: LintRule = {
  id: 'unloadable-line',
  severity: 'error',
  title: 'A line redis-server refuses: quoting or a value it cannot parse',
  explanation:
    'redis-server stops at the first line it cannot parse (unbalanced quotes, a value of the wrong kind, a trailing comment) and does not start. Lint reports every such line at once; the running server keeps nothing of the file.',
  fix: 'Fix the line as its message says.',
  check: ({ problems }) => hitsOf(problems, ['CQ_REDIS_CONF_SYNTAX', 'CQ_REDIS_CONF_INVALID']),
};

export const includeUnreadable: LintRule = {
  id: 'include-unreadable',
  severity: 'error',
  title: 'An include that cannot be read, or that includes itself',
  explanation:
    'redis-server refuses to start when an include line names a file it cannot read, and recurses until it crashes on an include cycle.',
  fix: 'Fix the include path (absolute paths are safest) or break the cycle.',
  check: ({ problems }) => hitsOf(problems, ['CQ_REDIS_CONF_INCLUDE_NOT_FOUND', 'CQ_REDIS_CONF_INCLUDE_CYCLE']),
};
