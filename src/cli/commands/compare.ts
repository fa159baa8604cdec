// `cachequake compare <run-a> <run-b>`: per experiment and metric what changed from A to B, as compare.html and
// compare.md.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description(
      'compare two runs (e.g. the current and a candidate Redis config): per experiment and metric what changed',
    )
    .argument('<run-a>', 'the run to compare from (a run directory or its journal.json)')
    .argument('<run-b>', 'the run to compare to')
    .option('--out <dir>', "where compare.html and compare.md are written (default: run B's directory)")
    .action(async (runA: string, runB: string, flags: { out?: string }) => {
      await writeComparison(resolve(runA), resolve(runB), flags.out ? resolve(flags.out) : undefined);
    });
}

/** Compares two runs (directories or journal.json files), writes compare.html and compare.md, prints the Markdown. */
export async function writeComparison(runA: string, runB: string, out?: string): Promise<void> {
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
}
