// `cachequake validate <path>...`: loads and checks experiments (and their targets) without starting anything.
import type { Command } from 'commander';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check experiment files and their targets; start nothing (exit 2 on the first invalid file)')
    .argument('<paths...>', 'experiment files or directories')
    .action(async (paths: string[]) => {
      const [{ loadExperiments }, { resolveTarget }] = await Promise.all([
        import('../../experiment/load-experiment.ts'),
        import('../../targets/index.ts'),
      ]);
      for (const { file, dir, experiment } of await loadExperiments(paths)) {
        const target = await resolveTarget(experiment.target, { baseDir: dir });
        process.stdout.write(
          `ok ${file ?? experiment.name}: ${experiment.name} → ${target.name}, ${experiment.faults.length} fault(s), ${experiment.expect.length} expectation(s)\n`,
        );
      }
    });
}
