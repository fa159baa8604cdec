// Verification after recovery: the steady state again, every session of the ledger checked and every cached id read
// again (skipped when the run was aborted); then the expectations judged and the run's status set.
import { evaluateExpectation, parseExpectation } from '../expectations/index.ts';
import type { MethodResult } from './method.ts';
import { metricLookup } from './metric-lookup.ts';
import type { PreparedRun } from './prepare.ts';
import type { RunContext } from './run-context.ts';
import { steadyStateAfter } from './steady-state.ts';

export async function verify(ctx: RunContext, run: PreparedRun, method: MethodResult): Promise<void> {
  const { journal, steps, experiment } = ctx;
  if (ctx.abort.signal.aborted) {
    journal.abort ??= {
      reason: String((ctx.abort.signal.reason as Error)?.message ?? 'aborted'),
      atMs: Math.round(method.clock.elapsedMs()),
    };
    steps.skipped('validate every session', 'the run was aborted');
    return;
  }
  await steadyStateAfter(ctx, run);
  await verifyCache(ctx, run);
  if (!run.ledger) return;
  const ledger = run.ledger;
  const final = await steps.run(
    'validate every session',
    () => ledger.checkAll(experiment.sessions.concurrency),
    (s) => ({ checked: s.checked, valid: s.valid, lost: s.lost, errors: s.errors }),
  );
  // lost = answered 401 at the end, or to any check during the run (a client drops its session on a 401)
  const lost = ledger.loggedOutCount();
  journal.sessions = {
    ...journal.sessions,
    valid: final.valid,
    lost,
    lostAtEnd: final.lost,
    loggedOutDuringRun: lost - final.lost,
    errors: final.errors,
    lostRate: final.checked ? lost / final.checked : 0,
    lostUsers: final.lostUsers,
    errorReasons: final.errorReasons,
  };
}

/** Every id of the cache read path read again; stale counts ids that differed at any read, during the run or now. */
async function verifyCache(ctx: RunContext, run: PreparedRun): Promise<void> {
  const { cache } = run;
  if (!cache || !ctx.journal.cache) return;
  const final = await ctx.steps.run(
    'read every cached id again',
    () => cache.checkAll(ctx.experiment.cache.concurrency),
    (s) => ({ checked: s.checked, same: s.same, stale: s.stale, errors: s.errors }),
  );
  const staleIds = cache.staleIds();
  ctx.journal.cache = {
    ...ctx.journal.cache,
    reads: cache.reads,
    stale: staleIds.length,
    staleAtEnd: final.stale,
    errors: final.errors,
    staleIds: staleIds.slice(0, 20),
    staleExamples: cache.staleExamples(),
    errorReasons: final.errorReasons,
  };
  ctx.log(`cache: ${staleIds.length} of ${cache.entries.length} ids answered differently from the baseline`);
}

/** The expectations on the summarised run (none when aborted), and the status: passed, failed or aborted. */
export function judge(ctx: RunContext, method: MethodResult): void {
  const { journal, experiment } = ctx;
  const aborted = ctx.abort.signal.aborted;
  if (!aborted) {
    const lookup = metricLookup({
      load: method.load,
      samples: method.samples,
      clock: method.clock,
      sessions: journal.sessions,
      recoverySeconds: journal.recovery.seconds ?? Infinity,
      writes: journal.writes,
      cache: journal.cache,
    });
    journal.expectations = experiment.expect.map((text) => evaluateExpectation(parseExpectation(text), lookup));
    // k6's own thresholds count like expectations (k6 itself would exit 99)
    for (const t of method.thresholds())
      journal.expectations.push({
        expression: `k6 threshold ${t.metric}: ${t.expression}`,
        actual: null,
        actualText: t.passed ? 'held' : 'crossed',
        passed: t.passed,
      });
  }
  journal.status = aborted
    ? 'aborted'
    : journal.expectations.every((e) => e.passed) && !journal.steadyState.deviated
      ? 'passed'
      : 'failed';
}
