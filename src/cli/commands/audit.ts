// `cachequake audit <redis-url>`: a read-only look at a live Redis — per key prefix, how many keys lack a TTL and what
// the policy does to them.
import type { Command } from 'commander';
import { invalidInput } from '../../errors/index.ts';

interface AuditFlags {
  sample: string;
  rate: string;
  memorySample: string;
  separator: string;
  depth: string;
  json?: boolean;
}

function positiveInteger(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalidInput(
      'CQ_OPTION_INVALID',
      `Expected ${flag} to be an integer from 1 to ${max}, got ${JSON.stringify(value)}`,
    );
  return n;
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      'read-only audit of a live Redis: per key prefix the keys without TTL, TTL spread, memory, and what the eviction policy does to them',
    )
    .argument('<redis-url>', 'redis://[user:password@]host:port[/db]')
    .option('--sample <n>', 'keys to sample with SCAN at most', '10000')
    .option('--rate <keys/s>', 'keys per second at most', '5000')
    .option('--memory-sample <n>', 'keys to measure with MEMORY USAGE', '1000')
    .option('--separator <s>', 'key prefix separator', ':')
    .option('--depth <n>', 'separator-delimited segments that make the prefix', '1')
    .option('--json', 'as JSON')
    .action(async (url: string, flags: AuditFlags) => {
      const options = {
        sample: positiveInteger('--sample', flags.sample, 10_000_000),
        rate: positiveInteger('--rate', flags.rate, 1_000_000),
        memorySample: positiveInteger('--memory-sample', flags.memorySample, 1_000_000),
        prefix: { separator: flags.separator, depth: positiveInteger('--depth', flags.depth, 16) },
      };
      if (flags.separator === '')
        throw invalidInput('CQ_OPTION_INVALID', 'Expected --separator to be a non-empty string, got ""');
      const { runAudit, formatAuditText } = await import('../../audit/index.ts');
      const report = await runAudit(url, options);
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatAuditText(report));
    });
}
