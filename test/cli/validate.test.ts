// `cachequake validate` on an experiment without a target: line names the target it resolved and warns that it is a
// bundled demo; a file naming its target gets no warning.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cachequake validate and the target it resolves', () => {
  it('says which target an experiment without target: resolved, and warns it is a bundled demo', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cq-validate-'));
    const bundled = await readFile(join(repo, 'experiments/flushall.yaml'), 'utf8');
    const withoutTarget = bundled.replace(/^target: .*\n/m, '');
    expect(withoutTarget).not.toBe(bundled);
    await writeFile(join(dir, 'no-target.yaml'), withoutTarget);
    const result = await runCli(['validate', join(dir, 'no-target.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `flushall → session-service (no target: line; resolved the default, ${join(repo, 'targets/session-service/target.yaml')})`,
    );
    expect(result.stderr).toMatch(/^warning: .*no-target\.yaml runs against session-service, a demo bundled/m);
  });

  it('prints no warning when the experiment names its target', async () => {
    const result = await runCli(['validate', 'experiments/flushall.yaml'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('flushall → session-service, 1 fault(s)');
    expect(result.stderr).toBe('');
  });
});
