// The cachequake/vitest matchers on journal entries made by hand: they pass, fail with messages that teach, and reject
// non-journals.
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.ts';
import { validateExperiment } from '../../src/experiment/load-experiment.ts';
import { emptyExperimentJournal } from '../../src/engine/empty-journal.ts';
import type { ExperimentJournal } from '../../src/journal/journal-types.ts';

function journal(changes: Partial<ExperimentJournal> = {}): ExperimentJournal {
  const base = emptyExperimentJournal(validateExperiment({ name: 'made-by-hand' }), undefined);
  return {
    ...base,
    status: 'passed',
    sessions: { ...base.sessions, created: 200, valid: 200 },
    recovery: { seconds: 2, fromMs: 7000, bounds: { errorRate: 0.01, p99Ms: 40 } },
    ...changes,
  };
}

const lost = journal({
  status: 'failed',
  sessions: {
    created: 200,
    valid: 188,
    lost: 12,
    errors: 0,
    lostRate: 0.06,
    loginFailures: {},
    lostUsers: ['u1', 'u2'],
    errorReasons: {},
  },
});

const cacheBlock: NonNullable<ExperimentJournal['cache']> = {
  path: 'GET /products/{{id}}',
  ids: 300,
  baselineFailures: {},
  reads: 500,
  stale: 0,
  staleAtEnd: 0,
  errors: 0,
  staleIds: [],
  staleExamples: [],
  errorReasons: {},
};

describe('cachequake/vitest matchers', () => {
  it('toKeepCacheCorrect passes with no stale id, fails naming the stale count with an example, and without a cache', () => {
    expect(journal({ cache: cacheBlock })).toKeepCacheCorrect();
    const stale = journal({
      status: 'failed',
      cache: {
        ...cacheBlock,
        stale: 7,
        staleIds: [3],
        staleExamples: [{ id: 3, baseline: '200 {"id":3}', seen: '200 {"id":3,"name":"unavailable"}' }],
      },
    });
    expect(stale).not.toKeepCacheCorrect();
    expect(() => expect(stale).toKeepCacheCorrect()).toThrow(
      '7 of 300 were stale and 0 unread at the end; e.g. id 3: 200 {"id":3} became 200 {"id":3,"name":"unavailable"}',
    );
    expect(() => expect(journal({ cache: { ...cacheBlock, errors: 2 } })).toKeepCacheCorrect()).toThrow('2 unread');
    expect(() => expect(journal()).toKeepCacheCorrect()).toThrow('has no cache section naming a read path');
  });

  it('toKeepAllSessions passes with no lost session and fails naming how many were lost', () => {
    expect(journal()).toKeepAllSessions();
    expect(() => expect(lost).toKeepAllSessions()).toThrow('12 of 200 were lost (6.0%; e.g. u1, u2)');
    expect(lost).not.toKeepAllSessions();
  });

  it('toKeepAllSessions fails when no session was logged in, and when the run errored', () => {
    expect(() => expect(journal({ sessions: { ...journal().sessions, created: 0 } })).toKeepAllSessions()).toThrow(
      'logged in no session',
    );
    expect(() =>
      expect(
        journal({ status: 'error', error: { code: 'CQ_REDIS_NOT_INSTALLED', message: 'redis-server was not found' } }),
      ).toKeepAllSessions(),
    ).toThrow('did not run: CQ_REDIS_NOT_INSTALLED');
  });

  it('toRecoverWithin compares recovery.seconds with a duration and fails when recovery never came', () => {
    expect(journal()).toRecoverWithin('5s');
    expect(journal()).toRecoverWithin(2000);
    expect(() => expect(journal()).toRecoverWithin('1500ms')).toThrow('recover within 1.5s; it recovered in 2 s');
    expect(() =>
      expect(journal({ recovery: { seconds: null, fromMs: 7000, bounds: null } })).toRecoverWithin('5s'),
    ).toThrow('never got back');
    expect(() => expect(journal()).toRecoverWithin('soon')).toThrow("expected a duration such as '5s'");
  });

  it('toPassExpectations lists each failed expectation with its actual value', () => {
    expect(
      journal({ expectations: [{ expression: 'sessions.lost == 0', actual: 0, actualText: '0', passed: true }] }),
    ).toPassExpectations();
    const failed = journal({
      status: 'failed',
      expectations: [{ expression: 'sessions.lost == 0', actual: 12, actualText: '12', passed: false }],
    });
    expect(() => expect(failed).toPassExpectations()).toThrow('✗ sessions.lost == 0  (actual 12)');
  });

  it('rejects a value that is not a journal entry', () => {
    expect(() => expect({ status: 'passed' }).toKeepAllSessions()).toThrow(
      'expected the journal entry that runExperiment() resolves to',
    );
  });
});
