// An example nightly chaos suite as vitest tests: each test runs one short experiment on the local runtime and asserts
// on its journal. Copy it into a repository that installed cachequake (e.g. as chaos/sessions-survive.test.ts, where
// examples/github-actions/chaos-nightly.yml looks).
import { describe, expect, it } from 'vitest';
import { defineExperiment, runExperiment } from 'cachequake/vitest';

// Short phases keep this example near 15 s; a real nightly suite would use the defaults (5s / 20s / 10s) or longer.
// Recovery needs 3 s in a row within the baseline's bounds: 6 s leaves room for one slow second on a busy CI runner.
const short = { baseline: '2s', fault: '2s', recovery: '6s' } as const;

// Each test needs its phases plus start-up and teardown, longer than vitest's default 5 s timeout.
describe('nightly: sessions survive Redis faults', { timeout: 60_000 }, () => {
  it('session-service keeps every session through FLUSHALL and recovers within 5 s', async () => {
    const result = await runExperiment(
      defineExperiment({
        name: 'nightly-flushall',
        target: 'session-service',
        sessions: { users: 100 },
        load: { rate: 40 },
        phases: short,
        faults: [{ kind: 'flushall', at: '500ms' }],
        expect: ['sessions.lost == 0', 'http.error_rate{phase=fault} < 5%'],
      }),
    );
    expect(result).toPassExpectations();
    expect(result).toKeepAllSessions();
    expect(result).toRecoverWithin('5s');
  });

  it('naive-session-service (the incident) loses its sessions to the same FLUSHALL: the matcher catches it', async () => {
    const result = await runExperiment(
      defineExperiment({
        name: 'nightly-flushall-naive',
        target: 'naive-session-service',
        sessions: { users: 50 },
        load: { rate: 20 },
        phases: { baseline: '1s', fault: '1s', recovery: '1s' },
        faults: [{ kind: 'flushall' }],
      }),
    );
    expect(result.status).toBe('passed'); // no expectations: the run itself succeeded
    expect(result).not.toKeepAllSessions();
    expect(result.sessions.lost).toBe(50);
  });
});
