// The default steady state probes the target's own health path, not a /health every target is assumed to have.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadExperimentFile } from '../../src/experiment/load-experiment.ts';
import { steadyStateProbes } from '../../src/experiment/steady-state-probes.ts';
import { resolveTarget } from '../../src/targets/index.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('steadyStateProbes', () => {
  it("defaults to GET on the manifest's health.path: /healthz for the express-session example", async () => {
    const [loaded] = await loadExperimentFile(`${repo}experiments/redis-outage.yaml`);
    const experiment = loaded!.experiment;
    const target = await resolveTarget('examples/targets/express-session', { baseDir: repo });
    expect(experiment.steadyState).toBeUndefined();
    expect(steadyStateProbes(experiment, target)).toEqual([
      { name: 'GET /healthz (health.path of express-session)', get: '/healthz', status: 200 },
    ]);
  });

  it('keeps the probes an experiment declares', async () => {
    const target = await resolveTarget('session-service');
    const own = [{ get: '/ready', status: [200, 204] }];
    expect(steadyStateProbes({ steadyState: own }, target)).toBe(own);
    expect(steadyStateProbes({}, target)).toEqual([
      { name: 'GET /health (health.path of session-service)', get: '/health', status: 200 },
    ]);
  });
});
