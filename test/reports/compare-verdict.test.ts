// `compare` leads with the verdict: a summary first, regressed experiments before the rest, experiments run in only
// one of the two collapsed into one row, and exit 1 when an expectation went from pass to fail (unless disabled).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareJournals, renderCompareHtml, renderCompareMarkdown } from '../../src/reports/index.ts';
import type { Journal } from '../../src/journal/journal-types.ts';
import { runCli } from '../fixtures/run-cli.ts';
import { loadFixture } from './journal-fixtures.ts';

/** Run A: the passing incident-2am plus many experiments B did not run (as `compare` of a full suite to one file). */
function suiteWithAbsentOnes(): Journal {
  const a = loadFixture('passed');
  const [first] = a.experiments;
  if (!first) throw new Error('fixture has no experiment');
  for (let i = 0; i < 13; i++) a.experiments.unshift({ ...first, name: `absent-${String(i).padStart(2, '0')}` });
  return a;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-compare-'));
  await writeFile(join(dir, 'a.json'), JSON.stringify(suiteWithAbsentOnes()));
  await writeFile(join(dir, 'b.json'), JSON.stringify(loadFixture('failed')));
  await writeFile(join(dir, 'same.json'), JSON.stringify(loadFixture('passed')));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the comparison model', () => {
  it('puts the regressed experiment first and counts every verdict', () => {
    const c = compareJournals(suiteWithAbsentOnes(), loadFixture('failed'));
    expect(c.experiments[0]).toMatchObject({ name: 'incident-2am', verdict: 'regressed', regressions: 4 });
    expect(c.counts).toEqual({ regressed: 1, improved: 0, unchanged: 0, 'only-in-a': 13, 'only-in-b': 0 });
    expect(c.regressions).toBe(4);
    const back = compareJournals(loadFixture('failed'), loadFixture('passed'));
    expect(back.experiments[0]?.verdict).toBe('improved');
    expect(compareJournals(loadFixture('passed'), loadFixture('passed')).counts.unchanged).toBe(1);
  });

  it('Markdown: verdict sentence and summary table before any experiment, absent ones on one row', () => {
    const md = renderCompareMarkdown(compareJournals(suiteWithAbsentOnes(), loadFixture('failed')));
    const summaryAt = md.indexOf('**Regressed**: 4 expectation(s) went from pass to fail in 1 experiment(s).');
    expect(summaryAt).toBeGreaterThan(0);
    expect(summaryAt).toBeLessThan(md.indexOf('#### incident-2am'));
    expect(md.match(/absent-\d\d/g)).toHaveLength(13);
    expect(md.split('\n').filter((l) => l.includes('absent-00'))).toHaveLength(1);
    expect(md).not.toContain('#### absent-');
  });

  it('HTML: says the Redis config is the same only when both runs recorded one', () => {
    const a = loadFixture('passed');
    const b = loadFixture('passed');
    expect(renderCompareHtml(compareJournals(a, b))).toContain('The effective Redis config is the same.');
    for (const x of [...a.experiments, ...b.experiments]) x.environment.redisConfig = {};
    const html = renderCompareHtml(compareJournals(a, b));
    expect(html).not.toContain('The effective Redis config is the same.');
    expect(html).toContain('nothing to compare');
  });
});

describe('cachequake compare exit code', () => {
  it('exits 1 on a regression, leading with the verdict', async () => {
    const result = await runCli(['compare', join(dir, 'a.json'), join(dir, 'b.json'), '--out', join(dir, 'out')]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[2]).toMatch(/^\*\*Regressed\*\*/);
    expect(await readFile(join(dir, 'out', 'compare.html'), 'utf8')).toContain('<h2>Summary</h2>');
  });

  it('exits 0 with --no-fail-on-regression, and on a comparison without regression', async () => {
    const off = await runCli(['compare', '--no-fail-on-regression', join(dir, 'a.json'), join(dir, 'b.json')]);
    expect(off.code).toBe(0);
    const fine = await runCli(['compare', join(dir, 'same.json'), join(dir, 'same.json'), '--out', join(dir, 'o2')]);
    expect(fine.code).toBe(0);
    expect(fine.stdout).toContain('**No regression**');
  });
});
