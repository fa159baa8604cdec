// `cachequake recover` on what it cannot or need not undo: no run dir (exit 2), a damaged log (exit 2), a Redis or
// Toxiproxy that does not answer (exit 3, nothing undone), a local run (nothing outside it), and a log whose last line a
// SIGKILL cut short (that line's change was never made).
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/runtimes/local/index.ts';
import { RollbackLog } from '../../src/safety/rollback/rollback-log.ts';
import { readRollbackLog } from '../../src/safety/rollback/rollback-read.ts';
import { runCli } from '../fixtures/run-cli.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-recover-errors-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A staging run's log, written by the run's own writer, with one config change still applied. */
async function stagingLog(name: string, redisPort: number, toxiproxyPort: number): Promise<string> {
  const runDir = join(dir, name);
  const log = RollbackLog.create(runDir, {
    runId: name,
    startedAt: new Date().toISOString(),
    runtime: 'staging',
    environment: {
      file: join(dir, 'gone.env.yaml'),
      name: 'staging',
      redis: `127.0.0.1:${redisPort}`,
      redisUrl: `redis://127.0.0.1:${redisPort}`,
      toxiproxyUrl: `http://127.0.0.1:${toxiproxyPort}`,
    },
  });
  log.change({ type: 'config', id: `${name}-config`, experiment: name, server: `127.0.0.1:${redisPort}`, values: {} });
  log.change({
    type: 'links',
    id: `${name}-f0-links`,
    experiment: name,
    fault: 0,
    kind: 'latency',
    links: [{ name: 'staging-redis', enabled: true, toxics: [] }],
  });
  log.close();
  return runDir;
}

describe('cachequake recover errors', () => {
  it('exit 2 CQ_RUN_DIR_INVALID for a missing directory and for a directory without a rollback log', async () => {
    const missing = await runCli(['recover', join(dir, 'no-such-run')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('CQ_RUN_DIR_INVALID');
    expect(missing.stderr).toContain('is not a directory');
    expect(missing.stderr).not.toContain('    at '); // no stack for a user error

    const empty = join(dir, 'empty-run');
    await mkdir(empty);
    const noLog = await runCli(['recover', empty]);
    expect(noLog.code).toBe(2);
    expect(noLog.stderr).toContain('CQ_RUN_DIR_INVALID');
    expect(noLog.stderr).toContain('holds no rollback.jsonl');
  });

  it('exit 2 CQ_ROLLBACK_LOG_CORRUPT for a damaged line, naming the file and line', async () => {
    const runDir = await stagingLog('corrupt', await freePort(), await freePort());
    const file = join(runDir, 'rollback.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.splice(1, 0, '{"type":"config", not json');
    await writeFile(file, lines.join('\n'));
    const result = await runCli(['recover', runDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CQ_ROLLBACK_LOG_CORRUPT');
    expect(result.stderr).toContain('rollback.jsonl:2: not a JSON line');
  });

  it('exit 3 CQ_RECOVER_UNREACHABLE when the Toxiproxy or the Redis does not answer; the change stays open', async () => {
    const runDir = await stagingLog('unreachable', await freePort(), await freePort());
    const result = await runCli(['recover', runDir]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('CQ_RECOVER_UNREACHABLE');
    expect(result.stderr).toMatch(/the Toxiproxy at http:\/\/127\.0\.0\.1:\d+ does not answer/);
    expect(readRollbackLog(runDir).open).toHaveLength(2);
  });

  it('a local run: nothing outside the harness to undo (exit 0)', async () => {
    const runDir = join(dir, 'local-run');
    RollbackLog.create(runDir, { runId: 'local-run', startedAt: new Date().toISOString(), runtime: 'local' }).close();
    const result = await runCli(['recover', runDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('the run used the local runtime');
    expect(result.stdout).toContain('nothing outside the run is left to undo');
  });

  it('a last line cut short by the kill is left out and dropped before recover appends', async () => {
    const runDir = await stagingLog('cut-short', await freePort(), await freePort());
    const file = join(runDir, 'rollback.jsonl');
    await appendFile(file, '{"type":"keys","id":"cut-short-f1-keys","exper');
    const read = readRollbackLog(runDir);
    expect(read.open.map((c) => c.id)).toEqual(['cut-short-config', 'cut-short-f0-links']);
    expect(read.wholeBytes).toBeLessThan((await readFile(file)).length);
    RollbackLog.reopen(runDir, read.wholeBytes).undone('cut-short-f0-links', 'recover');
    const again = readRollbackLog(runDir);
    expect(again.wholeBytes).toBeUndefined();
    expect(again.open.map((c) => c.id)).toEqual(['cut-short-config']);
  });
});
