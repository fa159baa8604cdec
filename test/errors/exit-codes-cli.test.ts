// The exit code of `cachequake run` is the exit class its journal stores for the error, never a guess from the code's
// name: one representative code of each class raised through the real CLI, each run refused or stopped in seconds.
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentJournal } from '../../src/journal/journal-types.ts';
import { waitGone } from '../fixtures/process-alive.ts';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { runCli, type CliResult } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bugInRun = fileURLToPath(new URL('../fixtures/errors/bug-in-run.mjs', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-exit-codes-'));
});

async function file(name: string, content: object | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

/** A short experiment on the naive service (no PostgreSQL); `extra` replaces fields. */
function experiment(name: string, extra: object = {}): object {
  return {
    name,
    target: 'naive-session-service',
    sessions: { users: 5 },
    load: { rate: 10 },
    phases: { baseline: '1s', fault: '1s', recovery: '1s' },
    faults: [{ kind: 'latency', on: 'redis', latencyMs: 50 }],
    ...extra,
  };
}

/** Runs the CLI with its own reports directory; returns the result and the one experiment's journal entry. */
async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult & { experiment: ExperimentJournal | undefined }> {
  const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
  const started = Date.now();
  const result = await runCli(['run', ...args, '--reports', reports], { cwd: repo, env, timeoutMs: 60_000 });
  const written = await readdir(reports);
  const experiment = written.length ? (await readRunJournal(reports)).experiments[0] : undefined;
  return { ...result, experiment, stdout: `${result.stdout}\n(${Date.now() - started} ms)` };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('exit codes through cachequake run', () => {
  it('CQ_TOPOLOGY_RUNTIME raised during a run exits 2 (it exited 3), and the journal stores invalid-input', async () => {
    const env = await file('staging.yaml', {
      name: 'nowhere',
      // never contacted: the topology is refused before the staging environment starts
      target: { url: 'http://127.0.0.1:9' },
      toxiproxy: { url: 'http://127.0.0.1:9', proxies: { redis: 'redis' } },
      redis: { adminUrl: 'redis://127.0.0.1:9' },
      permit: ['latency'],
    });
    const sentinel = await file(
      'sentinel.yaml',
      experiment('sentinel-on-staging', { redis: { topology: 'sentinel', replicas: 1 } }),
    );
    const result = await run([sentinel, '--env', env]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout).toContain('CQ_TOPOLOGY_RUNTIME: redis.topology: sentinel runs on the local runtime only');
    expect(result.experiment?.status).toBe('error');
    expect(result.experiment?.error).toMatchObject({ code: 'CQ_TOPOLOGY_RUNTIME', exitClass: 'invalid-input' });
    expect(result.experiment?.error?.stack).toBeUndefined();
    expect(result.experiment?.steps.find((s) => s.name === 'start environment')?.error?.exitClass).toBe(
      'invalid-input',
    );
  });

  it('an unknown --target found while the run resolves it exits 2 (CQ_TARGET_UNKNOWN exited 3)', async () => {
    const result = await run([await file('unknown-target.yaml', experiment('unknown-target')), '--target', 'nope']);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.experiment?.error).toMatchObject({ code: 'CQ_TARGET_UNKNOWN', exitClass: 'invalid-input' });
    expect(result.stdout).toContain('unknown target "nope"');
  });

  it('a fault on postgres without PostgreSQL exits 2 with a catalogue error (it was a plain Error: CQ_INTERNAL, 3)', async () => {
    const path = await file(
      'postgres-fault.yaml',
      experiment('postgres-fault', { faults: [{ kind: 'outage', on: 'postgres' }] }),
    );
    const result = await run([path]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.experiment?.error).toMatchObject({ code: 'CQ_FAULT_NEEDS_POSTGRES', exitClass: 'invalid-input' });
    expect(result.experiment?.error?.message).toContain('fault outage acts on postgres');
    expect(result.experiment?.error?.hint).toContain('postgres: true');
    expect(result.experiment?.error?.stack).toBeUndefined();
    expect(result.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
    expect(result.experiment?.steps.map((s) => s.name)).not.toContain('start environment');
  });

  it('TOXIPROXY_URL at a closed port exits 3 (environment) before Redis starts', async () => {
    const port = await closedPort();
    const result = await run([await file('toxiproxy.yaml', experiment('toxiproxy-gone'))], {
      TOXIPROXY_URL: `http://127.0.0.1:${port}`,
    });
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.experiment?.error).toMatchObject({ code: 'CQ_TOXIPROXY_UNREACHABLE', exitClass: 'environment' });
    expect(result.stdout).toContain(`TOXIPROXY_URL is set to http://127.0.0.1:${port}, but no Toxiproxy answers there`);
    expect(result.experiment?.environment.processes).toBeUndefined();
  });

  it('a bug inside a run (a plain exception) is journaled as CQ_INTERNAL with its stack and exits 70', async () => {
    const result = await run([await file('bug.yaml', experiment('bug'))], {
      NODE_OPTIONS: `--import=${pathToFileURL(bugInRun).href}`,
    });
    expect(result.code, result.stdout + result.stderr).toBe(70);
    expect(result.experiment?.status).toBe('error');
    expect(result.experiment?.error).toMatchObject({
      code: 'CQ_INTERNAL',
      exitClass: 'internal',
      message: 'simulated bug: cannot read properties of undefined',
    });
    expect(result.experiment?.error?.stack).toMatch(/TypeError: simulated bug[\s\S]*\n\s+at /);
    expect(result.stderr).toContain('cachequake: internal error in experiment bug (a bug; please report it');
    expect(result.stderr).toMatch(/TypeError: simulated bug[^\n]*\n\s+at /);
  });

  it('a steady state that does not hold exits 1, naming the probe and what it saw', async () => {
    const path = await file(
      'steady.yaml',
      experiment('steady-state-deviates', {
        faults: [],
        steadyState: [
          { get: '/health', status: 200 },
          { name: 'the missing page', get: '/no-such-page', status: 200 },
        ],
      }),
    );
    const result = await run([path]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('✗ steady state: the missing page: status 404, expected 200');
    const e = result.experiment;
    expect(e?.status).toBe('failed');
    expect(e?.steadyState.deviated).toBe(true);
    expect(e?.error).toMatchObject({
      code: 'CQ_STEADY_STATE_DEVIATED',
      exitClass: 'deviated',
      message:
        'the steady state does not hold before any fault: the missing page (GET /no-such-page): status 404, expected 200',
    });
    expect(e?.error?.stack).toBeUndefined();
    expect(e?.faults).toEqual([]);
    expect(e?.steps.map((s) => s.name)).not.toContain('snapshot the Redis config');
    const pids = Object.values(e?.environment.processes ?? {}).filter((p): p is number => typeof p === 'number');
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(await waitGone(pids, 2000)).toEqual([]);
  });

  it('an experiment module that throws while loading exits 2 naming the file, without a stack', async () => {
    const path = await file('throws.experiment.ts', "throw new Error('the experiment file is broken');\n");
    const result = await run([path]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('CQ_EXPERIMENT_MODULE_FAILED:');
    expect(result.stderr).toContain('throws.experiment.ts threw while loading: the experiment file is broken');
    expect(result.stderr).not.toContain('internal error');
    expect(result.experiment).toBeUndefined();
  });

  it('--reports naming a file exits 3 before anything starts', async () => {
    const notADir = await file('reports-file', 'x');
    const result = await runCli(['run', await file('r.yaml', experiment('r')), '--reports', notADir], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stderr).toContain('CQ_REPORTS_UNWRITABLE');
    expect(result.stderr).toContain('--reports <dir>');
    expect(result.stderr).not.toContain('running');
  });
});
