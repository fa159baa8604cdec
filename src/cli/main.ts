// The cachequake command line: registers every command and turns errors into one clear message and an exit code.
import { Command, CommanderError } from 'commander';
import { isCachequakeError, ExitCode } from '../errors/index.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerProxy } from './commands/proxy.ts';
import { registerRun } from './commands/run.ts';
import { registerVerifyConfig } from './commands/verify-config.ts';
import { registerValidate } from './commands/validate.ts';
import { registerList } from './commands/list.ts';
import { registerReport } from './commands/report.ts';
import { registerCompare } from './commands/compare.ts';
import { registerMerge } from './commands/merge.ts';
import { registerLint } from './commands/lint.ts';
import { registerAudit } from './commands/audit.ts';
import { registerPrepare } from './commands/prepare.ts';
import { registerRecover } from './commands/recover.ts';
import { registerInit } from './commands/init.ts';
import { registerTarget } from './commands/target.ts';
import { withGoProxyFlags } from './commands/proxy-go-flags.ts';

const program = new Command('cachequake')
  .description('Chaos experiments for services that keep sessions or cache data in Redis.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerInit(program);
registerDoctor(program);
registerRun(program);
registerVerifyConfig(program);
registerValidate(program);
registerTarget(program);
registerList(program);
registerProxy(program);
registerReport(program);
registerCompare(program);
registerMerge(program);
registerLint(program);
registerAudit(program);
registerPrepare(program);
registerRecover(program);

try {
  await program.parseAsync(withGoProxyFlags(process.argv));
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander already printed its message (unknown option, missing argument, --help, --version).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
  }
  // expected problems print one clear message; a bug (exit class internal) prints its stack
  if (isCachequakeError(error) && error.kind !== 'internal') {
    process.stderr.write(`${error.format()}\n`);
    return error.exitCode;
  }
  const shown = isCachequakeError(error)
    ? `${error.format()}\n${error.stack}`
    : error instanceof Error
      ? error.stack
      : String(error);
  process.stderr.write(`cachequake: internal error (a bug; please report it with this output)\n${shown}\n`);
  return ExitCode.internal;
}
