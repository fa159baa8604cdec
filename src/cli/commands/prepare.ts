// `cachequake prepare --env <file> --allow-destructive <instance> [--clear]`: marks (or unmarks) the declared staging
// Redis for a game day.
import type { Command } from 'commander';

interface PrepareFlags {
  env: string;
  allowDestructive?: string;
  clear?: boolean;
}

export function registerPrepare(program: Command): void {
  program
    .command('prepare')
    .description(
      "mark a staging Redis for a game day: sets the environment file's marker key (redis.markerKey = redis.instance) after checking the typed name",
    )
    .requiredOption('--env <file>', 'the staging environment file that declares the instance')
    .option('--allow-destructive <instance>', "type the instance's name (redis.instance) to confirm")
    .option('--clear', 'remove the marker instead (after the game day)')
    .action(async (flags: PrepareFlags) => {
      const [{ loadEnvironmentFile }, { prepareInstance }] = await Promise.all([
        import('../../experiment/load-environment-file.ts'),
        import('../../safety/prepare-instance.ts'),
      ]);
      const lines = await prepareInstance(await loadEnvironmentFile(flags.env), {
        allowDestructive: flags.allowDestructive,
        clear: flags.clear,
      });
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
