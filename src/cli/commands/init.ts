// `cachequake init`: writes a commented target.yaml and three starter experiments into the project, never overwriting.
import { resolve } from 'node:path';
import type { Command } from 'commander';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'write a commented target.yaml and experiments/ (incident-2am, redis-outage, flushall); exit 2 if one exists',
    )
    .option('--dir <folder>', 'where to write them', '.')
    .action(async (flags: { dir: string }) => {
      const { writeStarterProject } = await import('../init/write-starter-project.ts');
      const dir = resolve(flags.dir);
      const files = await writeStarterProject(dir);
      const lines = files.map((file) => `  wrote ${file}`);
      lines.push(
        '',
        'Next: fill in `command` (and what else is marked FILL IN) in target.yaml, then',
        '  npx cachequake target check target.yaml     # starts it once with a throwaway Redis, names what is wrong',
        '  npx cachequake validate experiments/',
        '  npx cachequake run experiments/flushall.yaml',
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
