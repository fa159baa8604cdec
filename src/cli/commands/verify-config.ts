// `cachequake verify-config <candidate.conf>`: lint it, run the experiments under it (and under a baseline), compare —
// before it ships.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, invalidInput } from '../../errors/index.ts';
import type { Override } from '../../experiment/overrides.ts';
import { exitCodeOf, exitInputOf, overridesFrom, printInternalErrors } from './run.ts';
import { writeComparison } from './compare.ts';

interface VerifyFlags {
  baseline?: string;
  target?: string;
  reports: string;
  parallel: string;
  testMaxmemory: string;
}

export function registerVerifyConfig(program: Command): void {
  program
    .command('verify-config')
    .description(
      'lint a candidate redis.conf, run experiments under it (and a baseline), and compare: would this config have logged everyone out?',
    )
    .argument('<candidate.conf>', 'the Redis config to verify')
    .argument('[experiments...]', 'experiment files or directories', ['experiments'])
    .option('--baseline <current.conf>', 'also run under the current config and compare')
    .option('--target <name|path>', "run against this target instead of the experiments' own")
    .option('--reports <dir>', 'where run directories are written', 'reports')
    .option('--parallel <n>', 'experiments at the same time', '1')
    .option(
      '--test-maxmemory <size>',
      'a larger maxmemory is scaled down to this for the test (eviction must happen in seconds, not hours); the policy and the rest stay as in the file',
      '32mb',
    )
    .action(async (candidate: string, paths: string[], flags: VerifyFlags) => {
      const [
        { lintRedisConf, formatLintText, effectiveConfig },
        { loadRedisConf, parseMemorySize },
        { loadExperiments },
        { newRunId },
        { runWithConsole },
      ] = await Promise.all([
        import('../../lint/index.ts'),
        import('../../redis-conf/index.ts'),
        import('../../experiment/load-experiment.ts'),
        import('../../journal/write-journal.ts'),
        import('../run-with-console.ts'),
      ]);
      const testMaxmemory = parseMemorySize(flags.testMaxmemory);
      if (!testMaxmemory)
        throw invalidInput(
          'CQ_OPTION_INVALID',
          `Expected --test-maxmemory to be a size such as 32mb, got ${JSON.stringify(flags.testMaxmemory)}`,
        );
      const configs = [
        ...(flags.baseline ? [{ label: 'baseline', file: resolve(flags.baseline) }] : []),
        { label: 'candidate', file: resolve(candidate) },
      ];
      for (const c of configs) {
        if (!existsSync(c.file))
          throw invalidInput('CQ_FILE_NOT_FOUND', `no ${c.label} config at ${c.file}`, {
            hint: 'Give the path of a redis.conf.',
          });
      }

      // 1. lint
      let lintErrors = 0;
      for (const c of configs) {
        const report = lintRedisConf(c.file);
        lintErrors += c.label === 'candidate' ? report.counts.error : 0;
        process.stdout.write(`lint ${c.label} ${c.file}\n${formatLintText(report)}\n`);
      }

      // 2. run the experiments under each config
      const runId = newRunId();
      const runs: { label: string; dir: string; code: number }[] = [];
      for (const c of configs) {
        const maxmemory = effectiveConfig(loadRedisConf(c.file)).maxmemoryBytes.value;
        const overrides: Override[] = [
          { path: ['redis', 'configFile'], value: c.file },
          { path: ['redis', 'config'], value: maxmemory > testMaxmemory ? { maxmemory: testMaxmemory } : {} },
          ...overridesFrom({ target: flags.target, set: [] }),
        ];
        if (maxmemory > testMaxmemory)
          process.stdout.write(
            `${c.label}: maxmemory ${maxmemory} bytes scaled to ${testMaxmemory} for the test; the policy and everything else as in the file\n`,
          );
        const experiments = await loadExperiments(paths, overrides);
        const result = await runWithConsole(
          experiments,
          { reportsDir: resolve(flags.reports), parallel: Number(flags.parallel) || 1, runId: `${runId}-${c.label}` },
          ` under the ${c.label} config`,
        );
        printInternalErrors(result.journal.experiments);
        runs.push({
          label: c.label,
          dir: resolve(result.journalFile, '..'),
          code: exitCodeOf(result.journal.experiments.map(exitInputOf)),
        });
      }

      // 3. compare
      const [first, last] = [runs[0], runs.at(-1)];
      if (first && last && first !== last) await writeComparison(first.dir, last.dir);
      const candidateCode = last?.code ?? ExitCode.ok;
      process.stdout.write(
        `verdict: ${candidateCode === ExitCode.ok && lintErrors === 0 ? 'the candidate config passed' : `the candidate config FAILED (${lintErrors} lint error(s), experiments exit ${candidateCode})`}\n`,
      );
      process.exitCode = candidateCode !== ExitCode.ok ? candidateCode : lintErrors > 0 ? ExitCode.failed : ExitCode.ok;
    });
}
