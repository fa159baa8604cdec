// `cachequake lint <redis.conf>`: checks a Redis config before it ships; exit 1 on an error-level finding, 2 on a file
// Redis would not load.
import type { Command } from 'commander';
import { ExitCode, invalidInput } from '../../errors/index.ts';

interface LintFlags {
  format: string;
  machineMemory?: string;
  cwd?: string;
}

const formats = ['text', 'json', 'sarif'];

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('check a redis.conf (and its includes) for settings that lose sessions or expose the server')
    .argument('<redis.conf>', 'the config file')
    .option('--format <format>', 'text, json or sarif (SARIF 2.1.0 for code-scanning UIs)', 'text')
    .option('--machine-memory <size>', 'memory of the machine the config is for, e.g. 32gb (default: this machine)')
    .option(
      '--cwd <dir>',
      'the directory redis-server starts in, for relative include lines (default: the current directory)',
    )
    .action(async (file: string, flags: LintFlags) => {
      if (!formats.includes(flags.format)) {
        throw invalidInput(
          'CQ_OPTION_INVALID',
          `Expected --format to be one of ${formats.join(', ')}, got ${JSON.stringify(flags.format)}`,
        );
      }
      const [
        { lintRedisConf, lintRules, formatLintText, formatLintJson, formatLintSarif },
        { parseMemorySize, memoryUnitHint },
      ] = await Promise.all([import('../../lint/index.ts'), import('../../redis-conf/index.ts')]);
      let machineMemoryBytes: number | undefined;
      if (flags.machineMemory !== undefined) {
        machineMemoryBytes = parseMemorySize(flags.machineMemory);
        if (machineMemoryBytes === undefined || machineMemoryBytes <= 0) {
          throw invalidInput(
            'CQ_OPTION_INVALID',
            `Expected --machine-memory to be a memory size, got ${JSON.stringify(flags.machineMemory)}`,
            { hint: `Write ${memoryUnitHint}.` },
          );
        }
      }
      const report = lintRedisConf(file, { machineMemoryBytes, cwd: flags.cwd });
      const output =
        flags.format === 'json'
          ? formatLintJson(report, lintRules)
          : flags.format === 'sarif'
            ? formatLintSarif(report, lintRules)
            : formatLintText(report);
      process.stdout.write(output);
      process.exitCode = report.counts.error > 0 ? ExitCode.failed : ExitCode.ok;
    });
}
