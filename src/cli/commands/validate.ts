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
      for (const { file, dir, experiment, targetDefaulted } of await loadExperiments(paths)) {
        const target = await resolveTarget(experiment.target, { baseDir: dir });
        const where = targetDefaulted ? ` (no target: line; resolved the default, ${target.file ?? target.name})` : '';
        process.stdout.write(
          `ok ${file ?? experiment.name}: ${experiment.name} → ${target.name}${where}, ${experiment.faults.length} fault(s), ${experiment.expect.length} expectation(s)\n`,
        );
        if (targetDefaulted && target.bundled) {
          process.stderr.write(
            `warning: ${file ?? experiment.name} runs against ${target.name}, a demo bundled with cachequake, not your ` +
              `service: add a line target: ./path/to/your/target.yaml (cachequake init writes one)\n`,
          );
        }
      }
    });
}
