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
      const [{ collectExperimentFiles, loadExperimentFile }, { resolveTarget }, { displayPath }, { checkTargetFit }] =
        await Promise.all([
          import('../../experiment/load-experiment.ts'),
          import('../../targets/index.ts'),
          import('../../schema/index.ts'),
          import('../../experiment/target-fit.ts'),
        ]);
      const files = await collectExperimentFiles(paths);
      const invalid: string[] = [];
      for (const file of files) {
        try {
          for (const { dir, experiment, targetDefaulted } of await loadExperimentFile(file)) {
            const target = await resolveTarget(experiment.target, { baseDir: dir });
            checkTargetFit(experiment, target);
            const where = targetDefaulted
              ? ` (no target: line; resolved the default, ${target.file ?? target.name})`
              : '';
            process.stdout.write(
              `ok ${displayPath(file)}: ${experiment.name} → ${target.name}${where}, ${experiment.faults.length} fault(s), ${experiment.expect.length} expectation(s)\n`,
            );
            if (targetDefaulted && target.bundled) {
              process.stderr.write(
                `warning: ${displayPath(file)} runs against ${target.name}, a demo bundled with cachequake, not your ` +
                  `service: add a line target: ./path/to/your/target.yaml (cachequake init writes one)\n`,
              );
            }
          }
        } catch (error) {
          // a mistake in the file is reported and the next file checked; what the machine lacks (exit 3) or a bug in
          // cachequake (exit 70) is no fault of the file and stops everything with its own exit code
          if (!isCachequakeError(error) || error.kind !== 'invalid-input') throw error;
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
