// Matchers on an experiment's journal entry: every session kept, recovery within a bound, every expectation passed.
import { invalidInput } from '../errors/index.ts';
import type { ExperimentJournal } from '../journal/journal-types.ts';
import { formatMs, parseDurationMs } from '../schema/quantities.ts';

export interface MatcherOutcome {
  pass: boolean;
  message: () => string;
}

function asJournal(received: unknown, matcher: string): ExperimentJournal {
  const value = received as Partial<ExperimentJournal> | null;
  if (!value || typeof value !== 'object' || !value.sessions || !value.recovery || !Array.isArray(value.expectations)) {
    throw invalidInput(
      'CQ_MATCHER_INVALID',
      `${matcher}: expected the journal entry that runExperiment() resolves to, got ${value === null ? 'null' : typeof value}`,
    );
  }
  return value as ExperimentJournal;
}

/** Why the run produced no verdict, when it did not run to the end. */
function notRun(journal: ExperimentJournal): string | undefined {
  if (journal.status === 'error')
    return `the experiment ${journal.name} did not run: ${journal.error?.code ?? 'error'}: ${journal.error?.message ?? 'unknown'}`;
  if (journal.status === 'aborted')
    return `the experiment ${journal.name} was aborted: ${journal.abort?.reason ?? 'unknown'}`;
  return undefined;
}

export function toKeepAllSessions(received: unknown): MatcherOutcome {
  const journal = asJournal(received, 'toKeepAllSessions');
  const problem = notRun(journal);
  const { created, lost, errors, lostUsers } = journal.sessions;
  const pass = problem === undefined && created > 0 && lost === 0;
  return {
    pass,
    message: () => {
      if (problem) return problem;
      if (pass) return `expected sessions to be lost, but all ${created} sessions of ${journal.name} survived`;
      if (created === 0)
        return `${journal.name} logged in no session, so none could be kept (login failures: ${JSON.stringify(journal.sessions.loginFailures)})`;
      const shown = lostUsers.slice(0, 5).join(', ');
      return `expected every session of ${journal.name} to survive, but ${lost} of ${created} were lost (${(journal.sessions.lostRate * 100).toFixed(1)}%; e.g. ${shown}); ${errors} could not be checked`;
    },
  };
}

export function toKeepCacheCorrect(received: unknown): MatcherOutcome {
  const journal = asJournal(received, 'toKeepCacheCorrect');
  const problem = notRun(journal);
  const cache = journal.cache;
  const pass = problem === undefined && cache !== undefined && cache.ids > 0 && cache.stale === 0 && cache.errors === 0;
  return {
    pass,
    message: () => {
      if (problem) return problem;
      if (!cache)
        return `${journal.name} checked no cache: its target (${journal.target.name}) has no cache section naming a read path`;
      if (pass)
        return `expected stale cache answers, but all ${cache.ids} ids of ${cache.path} answered as at baseline in ${journal.name}`;
      const example = cache.staleExamples[0];
      const shown = example ? `; e.g. id ${example.id}: ${example.baseline} became ${example.seen}` : '';
      return `expected every id of ${cache.path} to answer as at baseline in ${journal.name}, but ${cache.stale} of ${cache.ids} were stale and ${cache.errors} unread at the end${shown}`;
    },
  };
}

export function toRecoverWithin(received: unknown, bound: string | number): MatcherOutcome {
  const journal = asJournal(received, 'toRecoverWithin');
  const boundMs = typeof bound === 'number' ? bound : parseDurationMs(bound);
  if (boundMs === undefined)
    throw invalidInput(
      'CQ_MATCHER_INVALID',
      `toRecoverWithin: expected a duration such as '5s' or '800ms' (or milliseconds as a number), got ${JSON.stringify(bound)}`,
    );
  const problem = notRun(journal);
  const seconds = journal.recovery.seconds;
  const pass = problem === undefined && seconds !== null && seconds * 1000 <= boundMs;
  return {
    pass,
    message: () => {
      if (problem) return problem;
      if (seconds === null)
        return `expected ${journal.name} to recover within ${formatMs(boundMs)}, but it never got back within the baseline's bounds (${JSON.stringify(journal.recovery.bounds)})`;
      return `expected ${journal.name} to recover ${pass ? 'in more than' : 'within'} ${formatMs(boundMs)}; it recovered in ${seconds} s`;
    },
  };
}

export function toPassExpectations(received: unknown): MatcherOutcome {
  const journal = asJournal(received, 'toPassExpectations');
  const problem = notRun(journal);
  const failed = journal.expectations.filter((e) => !e.passed);
  const pass = journal.status === 'passed';
  return {
    pass,
    message: () => {
      if (problem) return problem;
      if (pass) return `expected ${journal.name} to fail, but all ${journal.expectations.length} expectations held`;
      const lines = failed.map((e) => `  ✗ ${e.expression}  (actual ${e.actualText})`);
      if (journal.steadyState.deviated) lines.push('  ✗ the steady state did not hold');
      return `expected every expectation of ${journal.name} to hold:\n${lines.join('\n')}`;
    },
  };
}
