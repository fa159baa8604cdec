// `cachequake compare <run-a> <run-b>`: per experiment and metric what changed from A to B, as compare.html and
// compare.md.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode } from '../../errors/index.ts';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description(
      'compare two runs (e.g. the current and a candidate Redis config): per experiment and metric what changed',
    )
    .argument('<run-a>', 'the run to compare from (a run directory or its journal.json)')
    .argument('<run-b>', 'the run to compare to')
    .option('--out <dir>', "where compare.html and compare.md are written (default: run B's directory)")
    .option('--no-fail-on-regression', 'exit 0 even when an expectation went from pass (A) to fail (B)')
    .action(async (runA: string, runB: string, flags: { out?: string; failOnRegression: boolean }) => {
      const regressed = await writeComparison(resolve(runA), resolve(runB), flags.out ? resolve(flags.out) : undefined);
      if (regressed && flags.failOnRegression) process.exitCode = ExitCode.failed;
    });
}

/**
 * Compares two runs (directories or journal.json files), writes compare.html and compare.md, prints the Markdown.
 * Returns whether B regressed (an expectation or an experiment went from pass to fail).
 */
export async function writeComparison(runA: string, runB: string, out?: string): Promise<boolean> {
  const { readJournal, compareJournals, renderCompareHtml, renderCompareMarkdown } =
    await import('../../reports/index.ts');
  const a = await readJournal(runA);
  const b = await readJournal(runB);
  const comparison = compareJournals(a.journal, b.journal);
  const outDir = out ?? b.runDir;
  await mkdir(outDir, { recursive: true });
  const markdown = renderCompareMarkdown(comparison);
  await writeFile(join(outDir, 'compare.html'), renderCompareHtml(comparison));
  await writeFile(join(outDir, 'compare.md'), markdown);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary)
    await appendFile(summary, `${markdown}\n`).catch((error: Error) =>
      process.stderr.write(`warning: could not append to $GITHUB_STEP_SUMMARY: ${error.message}\n`),
    );
  process.stdout.write(`${markdown}\ncompare: ${join(outDir, 'compare.html')}\n`);
  return comparison.counts.regressed > 0;
}
