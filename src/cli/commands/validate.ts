// `cachequake validate <path>...`: loads and checks experiments (and their targets) without starting anything. Every
// file is checked and every invalid one reported, so a directory of broken files takes one round, not one per file.
import type { Command } from 'commander';
import { invalidInput, isCachequakeError } from '../../errors/index.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check experiment files and their targets; start nothing (exit 2 when any file is invalid)')
    .argument('<paths...>', 'experiment files or directories')
    .action(async (paths: string[]) => {
      const [{ collectExperimentFiles, loadExperimentFile }, { resolveTarget }, { displayPath }] = await Promise.all([
        import('../../experiment/load-experiment.ts'),
        import('../../targets/index.ts'),
        import('../../schema/index.ts'),
      ]);
      const files = await collectExperimentFiles(paths);
      const invalid: string[] = [];
      for (const file of files) {
        try {
          for (const { dir, experiment } of await loadExperimentFile(file)) {
            const target = await resolveTarget(experiment.target, { baseDir: dir });
            process.stdout.write(
              `ok ${displayPath(file)}: ${experiment.name} → ${target.name}, ${experiment.faults.length} fault(s), ${experiment.expect.length} expectation(s)\n`,
            );
          }
        } catch (error) {
          // a user's mistake is reported and the next file checked; a bug in cachequake still stops everything
          if (!isCachequakeError(error) || error.kind === 'internal') throw error;
          invalid.push(displayPath(file));
          process.stderr.write(`✗ ${displayPath(file)}\n${error.format()}\n\n`);
        }
      }
      if (invalid.length > 0)
        throw invalidInput(
          'CQ_VALIDATE_FAILED',
          `${invalid.length} of ${files.length} experiment file(s) invalid: ${invalid.join(', ')}`,
          { hint: 'Each file is reported above with the line and the fix; the others passed.' },
        );
    });
}
