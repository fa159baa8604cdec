// `cachequake recover <run dir>`: undoes what a killed run's rollback log says is still applied on the staging Redis and
// Toxiproxy, prints each thing set back and records it in <run dir>/recover.json; 0 when nothing is left applied.
import type { Command } from 'commander';
import { environmentError } from '../../errors/index.ts';

export function registerRecover(program: Command): void {
  program
    .command('recover')
    .description(
      "undo what a killed run left applied (toxics, CONFIG values, flushed keys), from its run directory's rollback log",
    )
    .argument('<run-dir>', 'the run directory, e.g. reports/20261205-081500Z-ab12')
    .action(async (runDir: string) => {
      const { recoverRun } = await import('../../safety/rollback/recover-run.ts');
      const report = await recoverRun(runDir);
      const out = [
        `recover ${runDir}: run ${report.runId}, ${report.runtime} runtime${report.environment ? ` (environment ${report.environment})` : ''}`,
        ...report.changes.map((c) => `  ${c.ok ? 'undone' : 'FAILED'}: ${c.done}`),
        ...report.notes.map((n) => `  ${n}`),
      ];
      const failed = report.changes.filter((c) => !c.ok);
      if (report.changes.length)
        out.push(
          `${report.changes.length - failed.length} of ${report.open} changes undone; recorded in ${runDir.replace(/\/$/, '')}/recover.json`,
        );
      else out.push('nothing left to undo');
      process.stdout.write(`${out.join('\n')}\n`);
      if (failed.length)
        throw environmentError(
          'CQ_RECOVER_INCOMPLETE',
          `recover: ${failed.length} of ${report.open} changes could not be undone (listed above as FAILED); they stay open in the rollback log.`,
          {
            hint: 'Fix what the failure names (a renamed CONFIG, a refused RESTORE), then run `cachequake recover` again.',
          },
        );
    });
}
