// Verification after recovery: the steady state again and every session of the ledger checked (skipped when the run
// was aborted); then the expectations judged and the run's status set.
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
  const final = await steps.run(
    'validate every session',
    () => run.ledger.checkAll(experiment.sessions.concurrency),
    (s) => ({ checked: s.checked, valid: s.valid, lost: s.lost, errors: s.errors }),
  );
  // lost = answered 401 at the end, or to any check during the run (a client drops its session on a 401)
  const lost = run.ledger.loggedOutCount();
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
