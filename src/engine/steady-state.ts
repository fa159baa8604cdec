// The steady-state hypothesis: HTTP probes on the target, checked before the faults (a deviation ends the run) and
// after recovery.
import { request } from 'undici';
import { CachequakeError } from '../errors/index.ts';
import type { SteadyStateProbe } from '../experiment/experiment-schema.ts';
import { steadyStateProbes } from '../experiment/steady-state-probes.ts';
import type { SteadyStateResult } from '../journal/journal-types.ts';
import type { PreparedRun } from './prepare.ts';
import type { RunContext } from './run-context.ts';

export async function checkSteadyState(
  baseUrl: string,
  probes: readonly SteadyStateProbe[],
): Promise<SteadyStateResult[]> {
  return Promise.all(
    probes.map(async (probe) => {
      const name = probe.name ?? `GET ${probe.get}`;
      const wanted = Array.isArray(probe.status) ? probe.status : [probe.status];
      try {
        const res = await request(`${baseUrl}${probe.get}`, { headersTimeout: 2000, bodyTimeout: 2000 });
        const body = await res.body.text();
        const statusOk = wanted.includes(res.statusCode);
        const bodyOk = probe.bodyContains === undefined || body.includes(probe.bodyContains);
        const detail = !statusOk
          ? `status ${res.statusCode}, expected ${wanted.join(' or ')}`
          : !bodyOk
            ? `body lacks ${JSON.stringify(probe.bodyContains)}: ${body.slice(0, 120)}`
            : `status ${res.statusCode}`;
        return { name, path: probe.get, status: res.statusCode, passed: statusOk && bodyOk, detail };
      } catch (error) {
        return { name, path: probe.get, status: null, passed: false, detail: (error as Error).message };
      }
    }),
  );
}

/** The phase before any fault: a steady state that does not hold is the system's deviation (exit 1), not an error. */
export async function steadyStateBefore(ctx: RunContext, run: PreparedRun): Promise<void> {
  const { journal } = ctx;
  journal.steadyState.before = await ctx.steps.run('steady state before', () =>
    checkSteadyState(run.service.url, steadyStateProbes(ctx.experiment, run.target)),
  );
  if (journal.steadyState.before.some((r) => !r.passed)) {
    journal.steadyState.deviated = true;
    throw new SteadyStateDeviation(journal.steadyState.before);
  }
}

/** After recovery: the same probes again; a failed one marks the run deviated (its verdict: failed). */
export async function steadyStateAfter(ctx: RunContext, run: PreparedRun): Promise<void> {
  const { journal } = ctx;
  journal.steadyState.after = await ctx.steps.run('steady state after', () =>
    checkSteadyState(run.service.url, steadyStateProbes(ctx.experiment, run.target)),
  );
  journal.steadyState.deviated = journal.steadyState.after.some((r) => !r.passed);
}

/**
 * The steady state did not hold before any fault: the system under test deviated (exit 1), it was not cachequake that
 * broke. Names each probe that failed and what it saw.
 */
export class SteadyStateDeviation extends CachequakeError {
  /** The probes that failed. */
  readonly failed: readonly SteadyStateResult[];

  constructor(results: readonly SteadyStateResult[]) {
    const failed = results.filter((r) => !r.passed);
    super(`the steady state does not hold before any fault: ${failed.map(describeProbe).join('; ')}`, {
      code: 'CQ_STEADY_STATE_DEVIATED',
      hint: 'Faults are injected only into a healthy service. Look at the target (environment.targetLog in the journal), or fix the probe under steadyState in the experiment.',
    });
    this.name = 'SteadyStateDeviation';
    this.failed = failed;
  }
}

function describeProbe(r: SteadyStateResult): string {
  const named = r.name === `GET ${r.path}` ? r.name : `${r.name} (GET ${r.path})`;
  return `${named}: ${r.detail}`;
}
