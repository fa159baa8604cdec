// `cachequake doctor`: which tools are here, their versions, what each enables, and --fix to install what is missing.
import type { Command } from 'commander';
import { runChecks, type CheckResult } from '../../doctor/checks.ts';
import { fixMissing } from '../../doctor/fix.ts';
import { environmentError } from '../../errors/index.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check redis-server, PostgreSQL, Docker, k6 and Node: found or not, version, and which features each enables',
    )
    .option('--fix', 'install missing Debian packages (when root on Debian/Ubuntu), otherwise print the commands')
    .option('--json', 'print the findings as JSON')
    .action(async (opts: { fix?: boolean; json?: boolean }) => {
      let results = await runChecks();
      const write = (line: string) => process.stdout.write(`${line}\n`);
      if (opts.fix) {
        const outcome = await fixMissing(results, write);
        if (outcome.installed.length) results = await runChecks();
      }
      if (opts.json) write(JSON.stringify(results, null, 2));
      else printTable(results, write);
      const missing = results.filter((r) => r.required && !r.found);
      if (missing.length) {
        throw environmentError('CQ_ENV_MISSING', `required: ${missing.map((m) => m.name).join(', ')} not found.`, {
          hint: `${missing.map((m) => `${m.name}: ${m.install}`).join('\n')}\nor run: cachequake doctor --fix`,
        });
      }
    });
}

function printTable(results: CheckResult[], write: (line: string) => void): void {
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const status = r.found ? 'ok     ' : r.required ? 'MISSING' : 'absent ';
    const version = r.found ? (r.version ?? '') : '';
    write(`${status} ${r.name.padEnd(width)}  ${version.padEnd(10)} ${r.enables}`);
    if (!r.found) write(`${' '.repeat(width + 10)}install: ${r.install}`);
  }
}
