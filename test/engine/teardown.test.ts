// The teardown reports a cleanup that fails instead of swallowing it: journaled as the failed step `teardown`, the
// other cleanups still run (no process left behind), and the run's verdict is the one the run earned.
import { describe, expect, it } from 'vitest';
import { environmentError } from '../../src/errors/index.ts';
import { runExperimentWith } from '../../src/engine/run-experiment.ts';
import { realDependencies } from '../../src/engine/prepare.ts';
import { StepRecorder } from '../../src/engine/step-recorder.ts';
import { Teardown } from '../../src/engine/teardown.ts';
import type { ExperimentJournal } from '../../src/journal/journal-types.ts';
import type { StartedEnvironment } from '../../src/runtimes/started-environment.ts';
import { isAlive, waitGone } from '../fixtures/process-alive.ts';

/** A short run on the naive service (no PostgreSQL); `extra` replaces fields. */
function experiment(name: string, extra: object = {}) {
  return {
    name,
    target: 'naive-session-service',
    sessions: { users: 5 },
    load: { rate: 10 },
    phases: { baseline: '1s', fault: '1s', recovery: '1s' },
    faults: [{ kind: 'flushall', at: '500ms' }],
    expect: ['http.requests > 0'],
    ...extra,
  };
}

function startedPids(journal: ExperimentJournal): number[] {
  const processes = journal.environment.processes;
  expect(processes, 'the local runtime records the pids it started').toBeDefined();
  return [processes?.redis, processes?.target].filter((pid): pid is number => typeof pid === 'number');
}

function teardownStep(journal: ExperimentJournal) {
  const step = journal.steps.at(-1);
  expect(step?.name).toBe('teardown');
  return step;
}

describe('teardown', () => {
  it('runs every cleanup last-registered first, past a failing one, skips a dismissed one, and fails its step', async () => {
    const teardown = new Teardown();
    const steps = new StepRecorder();
    const ran: string[] = [];
    teardown.defer('first', () => ran.push('first'));
    teardown.defer('second', () => Promise.reject(new Error('second broke')));
    teardown.defer('dismissed', () => ran.push('dismissed')).dismiss();
    teardown.defer('third', async () => ran.push('third'));
    await teardown.run(steps); // never throws: the step holds the failure
    expect(ran).toEqual(['third', 'first']);
    expect(steps.steps).toHaveLength(1);
    expect(steps.steps[0]).toMatchObject({
      name: 'teardown',
      status: 'failed',
      error: {
        code: 'CQ_TEARDOWN_FAILED',
        exitClass: 'environment',
        message: '1 of 4 cleanups failed: second: second broke.',
      },
    });
  });

  it('is a succeeded step when every cleanup succeeded', async () => {
    const teardown = new Teardown();
    const steps = new StepRecorder();
    teardown.defer('only', () => undefined);
    await teardown.run(steps);
    expect(steps.steps[0]).toMatchObject({ name: 'teardown', status: 'succeeded', output: { cleanups: 1 } });
  });

  it('journals a cleanup that throws, still runs the cleanups after it, and leaves the verdict alone', async () => {
    let pidsWhenItFailed: number[] = [];
    let aliveWhenItFailed = false;
    const journal = await runExperimentWith({
      ...realDependencies,
      // registered right after the environment: it runs just before the environment is stopped
      onStarted: (env, teardown) =>
        teardown.defer('a cleanup that throws', () => {
          pidsWhenItFailed = [env.redis().pid, env.target?.pid].filter((p): p is number => p !== undefined);
          aliveWhenItFailed = pidsWhenItFailed.every(isAlive);
          throw new Error('simulated: the cleanup failed');
        }),
    })(experiment('teardown-throws'));

    expect(journal.status).toBe('passed');
    expect(journal.error).toBeUndefined();
    expect(teardownStep(journal)).toMatchObject({
      status: 'failed',
      error: {
        code: 'CQ_TEARDOWN_FAILED',
        exitClass: 'environment',
        message: expect.stringMatching(
          /^1 of \d+ cleanups failed: a cleanup that throws: simulated: the cleanup failed\.$/,
        ),
      },
    });
    // the processes ran when the failing cleanup did, and the environment was stopped after it all the same
    const pids = startedPids(journal);
    expect(pidsWhenItFailed.sort()).toEqual([...pids].sort());
    expect(aliveWhenItFailed).toBe(true);
    expect(await waitGone(pids, 5000)).toEqual([]);
    // the Redis config snapshot (flushall changes Redis) was restored before: that cleanup was not skipped either
    expect(journal.safety?.config).toBeDefined();
  });

  it("names each failed cleanup with its code, even the environment's own stop, and keeps a deviation a deviation", async () => {
    const journal = await runExperimentWith({
      startEnvironment: async (plan) => failingStop(await realDependencies.startEnvironment(plan)),
      onStarted: (_env, teardown) =>
        teardown.defer('a coded cleanup', () => {
          throw environmentError('CQ_REDIS_START_FAILED', 'simulated: a coded failure');
        }),
    })(
      experiment('teardown-two-fail', {
        faults: [],
        steadyState: [{ name: 'the missing page', get: '/no-such-page', status: 200 }],
      }),
    );

    // the steady state deviated: still a verdict (failed, exit class deviated), not an error of the run
    expect(journal.status).toBe('failed');
    expect(journal.error).toMatchObject({ code: 'CQ_STEADY_STATE_DEVIATED', exitClass: 'deviated' });
    const step = teardownStep(journal);
    expect(step?.status).toBe('failed');
    expect(step?.error?.code).toBe('CQ_TEARDOWN_FAILED');
    expect(step?.error?.message).toContain('2 of ');
    expect(step?.error?.message).toContain('a coded cleanup [CQ_REDIS_START_FAILED]: simulated: a coded failure');
    expect(step?.error?.message).toContain('stop the environment: simulated: stopped, then failed');
    expect(await waitGone(startedPids(journal), 5000)).toEqual([]);
  });
});

/** The started environment, whose stop() really stops it and then fails (as a stop that times out on a port would). */
function failingStop(env: StartedEnvironment): StartedEnvironment {
  return new Proxy(env, {
    get(target, key, receiver) {
      if (key === 'stop')
        return async () => {
          await target.stop();
          throw new Error('simulated: stopped, then failed');
        };
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
