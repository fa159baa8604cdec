// `cachequake report <run-dir>`: renders report.html, junit.xml and summary.md again from the run's journal.json.
import { resolve } from 'node:path';
import type { Command } from 'commander';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description("render report.html, junit.xml and summary.md again from a run's journal")
    .argument('<run-dir>', 'a run directory (reports/<run-id>/) or its journal.json')
    .action(async (runDir: string) => {
      const { readJournal, writeReports, reporters } = await import('../../reports/index.ts');
      const { journal, runDir: dir } = await readJournal(resolve(runDir));
      const written = await writeReports(journal, dir);
      for (const warning of written.warnings) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(
        `${reporters.console.render(journal)}\nreport: ${written.html}\njunit:  ${written.junit}\nsummary: ${written.markdown}\n`,
      );
    });
}
