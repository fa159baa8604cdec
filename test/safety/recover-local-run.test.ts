// A local run SIGKILLed mid-fault: its redis-server, PostgreSQL and target die with it (the watchdog), the partial
// journal says `killed` and names them, and `cachequake recover` reports that nothing outside the run is left.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/journal-types.ts';
import { isAlive, waitGone } from '../fixtures/process-alive.ts';
import { cliPath, runCli } from '../fixtures/run-cli.ts';

let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('SIGKILL mid-fault on the local runtime: the services die with the harness and recover has nothing to undo', async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-recover-local-'));
  const reports = join(dir, 'reports');
  const file = join(dir, 'local-killed.yaml');
  await writeFile(
    file,
    stringify({
      name: 'local-killed',
      target: 'session-service',
      sessions: { users: 10 },
      load: { rate: 10 },
      phases: { baseline: '500ms', fault: '120s', recovery: '500ms' },
      faults: [
        { kind: 'latency', on: 'redis', latencyMs: 100 },
        { kind: 'config-set', parameters: { hz: 50 } },
      ],
    }),
  );
  const child = spawn(process.execPath, [cliPath, 'run', file, '--reports', reports], { stdio: 'ignore' });
  const exited = once(child, 'exit');
  let journal: Journal | undefined;
  let runDir: string | undefined;
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const [name] = existsSync(reports) ? await readdir(reports) : [];
      if (name) {
        runDir = join(reports, name);
        const read = await readFile(join(runDir, 'journal.json'), 'utf8').catch(() => '');
        journal = read ? (JSON.parse(read) as Journal) : undefined;
        const faults = journal?.experiments[0]?.faults ?? [];
        if (faults.length === 2 && faults.every((f) => f.status === 'applied')) break;
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the faults never applied');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  expect(journal?.status).toBe('killed');
  const processes = journal?.experiments[0]?.environment.processes;
  const pids = [processes?.redis, processes?.postgres, processes?.target].filter((p): p is number => !!p);
  expect(pids.length).toBeGreaterThanOrEqual(2);
  expect(await waitGone(pids, 20_000)).toEqual([]); // the watchdog reaped them
  expect(pids.some(isAlive)).toBe(false);

  const recovered = await runCli(['recover', runDir as string]);
  expect(recovered.code, recovered.stderr).toBe(0);
  expect(recovered.stdout).toContain('the run used the local runtime');
  expect(recovered.stdout).toContain('nothing outside the run is left to undo');
}, 150_000);
