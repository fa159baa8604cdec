// `cachequake init` as a user runs it in an empty project: the starter files, validation once `command` is filled in,
// and the refusal to overwrite.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/run-cli.ts';

const dirs: string[] = [];
async function emptyProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cq-init-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const starter = ['experiments/flushall.yaml', 'experiments/incident-2am.yaml', 'experiments/redis-outage.yaml'];

describe('cachequake init', () => {
  it('writes target.yaml and three experiments that validate once the command is filled in', async () => {
    const dir = await emptyProject();
    const init = await runCli(['init'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    for (const file of ['target.yaml', ...starter]) expect(init.stdout).toContain(`wrote ${file}`);

    // as written, the skeleton names the field still to fill in
    const unfilled = await runCli(['validate', 'experiments/'], { cwd: dir });
    expect(unfilled.code).toBe(2);
    expect(unfilled.stderr).toMatch(/CQ_TARGET_INVALID[\s\S]*target\.yaml:\d+:\d+: command:/);

    const manifest = await readFile(join(dir, 'target.yaml'), 'utf8');
    expect(manifest).toMatch(/^command: ""/m);
    await writeFile(join(dir, 'target.yaml'), manifest.replace(/^command: ""/m, 'command: node'));
    const filled = await runCli(['validate', 'experiments/'], { cwd: dir });
    expect(filled.code, filled.stderr).toBe(0);
    for (const name of ['flushall', 'incident-2am', 'redis-outage'])
      expect(filled.stdout).toContain(`${name} → my-service`);
  });

  it('refuses to overwrite any existing file, writes nothing, and exits 2 with CQ_INIT_FILE_EXISTS', async () => {
    const dir = await emptyProject();
    await writeFile(join(dir, 'target.yaml'), 'mine\n');
    const init = await runCli(['init'], { cwd: dir });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('CQ_INIT_FILE_EXISTS');
    expect(init.stderr).toContain('target.yaml');
    expect(init.stderr).not.toContain('internal error');
    expect(await readFile(join(dir, 'target.yaml'), 'utf8')).toBe('mine\n');
    const again = await runCli(['validate', 'experiments/'], { cwd: dir });
    expect(again.stderr).toContain('CQ_FILE_NOT_FOUND');
  });

  it('writes into --dir, creating it', async () => {
    const dir = await emptyProject();
    const init = await runCli(['init', '--dir', 'chaos'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(await readFile(join(dir, 'chaos', 'experiments', 'flushall.yaml'), 'utf8')).toContain(
      'target: ../target.yaml',
    );
  });
});
