// `validate` reports every invalid file in one round, with did-you-mean for fault kinds and top-level keys, one YAML
// error with an excerpt and caret, and `--set` problems blamed on the command line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/run-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-validate-'));
  await writeFile(join(dir, 'a-good.yaml'), 'name: good\nphases: { fault: 5s }\n');
  await writeFile(join(dir, 'b-kind.yaml'), 'name: kind\nfaults:\n  - kind: latancy\n    ms: 50\n');
  await writeFile(join(dir, 'c-key.yaml'), 'name: key\nfaluts: []\n');
  await writeFile(join(dir, 'd-syntax.yaml'), 'name: syntax\nload:\n  rate: [1\n  timeout: 2s\nexpect: ]\n');
  await writeFile(join(dir, 'e-good.yaml'), 'name: good-too\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cachequake validate <dir>', () => {
  it('reports every invalid file, checks the valid ones, and exits 2 once', async () => {
    const result = await runCli(['validate', '.'], { cwd: dir });
    expect(result.code).toBe(2);
    for (const name of ['b-kind.yaml', 'c-key.yaml', 'd-syntax.yaml']) expect(result.stderr).toContain(`✗ ${name}`);
    expect(result.stderr).toMatch(/b-kind\.yaml[\s\S]*c-key\.yaml[\s\S]*d-syntax\.yaml/);
    expect(result.stdout).toContain('good → ');
    expect(result.stdout).toContain('good-too → ');
    expect(result.stderr).toContain(
      'CQ_VALIDATE_FAILED: 3 of 5 experiment file(s) invalid: b-kind.yaml, c-key.yaml, d-syntax.yaml',
    );
  });

  it('suggests the nearest fault kind and top-level key', async () => {
    const result = await runCli(['validate', dir]);
    expect(result.stderr).toMatch(
      /b-kind\.yaml:3:\d+: faults\[0\]\.kind: received "latancy".*did you mean "latency"\?/,
    );
    expect(result.stderr).toMatch(/c-key\.yaml:2:1: faluts: unknown key "faluts"; did you mean "faults"\?/);
  });

  it('shows one YAML syntax error with the source line and a caret under the column', async () => {
    const result = await runCli(['validate', join(dir, 'd-syntax.yaml')]);
    expect(result.code).toBe(2);
    const located = result.stderr.match(/d-syntax\.yaml:(\d+):(\d+): /g) ?? [];
    expect(located).toHaveLength(1);
    const [, line, column] = /d-syntax\.yaml:(\d+):(\d+): /.exec(result.stderr) ?? [];
    const excerpt = result.stderr.split('\n').findIndex((l) => l.startsWith(`  ${line} | `));
    expect(excerpt).toBeGreaterThan(0);
    const caretLine = result.stderr.split('\n')[excerpt + 1] ?? '';
    const gutter = `  ${' '.repeat(String(line).length)} | `;
    expect(caretLine.indexOf('^')).toBe(gutter.length + Number(column) - 1);
  });
});

describe('--set problems', () => {
  it('are attributed to the command line, not to a line of the file', async () => {
    const result = await runCli([
      'run',
      '--dry-run',
      '--set',
      'load.rate=fast',
      '--set',
      'faluts=1',
      join(dir, 'a-good.yaml'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--set load.rate=fast (command line): load.rate: expected number');
    expect(result.stderr).toContain('--set faluts=1 (command line): faluts: unknown key "faluts"; did you mean');
    expect(result.stderr).not.toMatch(/a-good\.yaml:\d+:\d+/);
  });
});
