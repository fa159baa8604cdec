// Test helper: runs npm, npx or node as a user's shell would — a chosen Node first on PATH, none of the npm_* or
// VITEST* variables of the test run that starts it — and returns its output and exit code.
import { execFile } from 'node:child_process';
import { delimiter } from 'node:path';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CommandOptions {
  cwd: string;
  /** The directory holding the `node` to run with, put first on PATH. */
  nodeBin: string;
  timeoutMs: number;
}

/** process.env without what `npm test` and vitest set for themselves (a nested npm or vitest would obey them). */
function userEnv(nodeBin: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_OPTIONS$|INIT_CWD$|TEST$)/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = `${nodeBin}${delimiter}${process.env.PATH ?? ''}`;
  env.NO_COLOR = '1';
  return env;
}

export function runCommand(command: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: userEnv(options.nodeBin),
        timeout: options.timeoutMs,
        killSignal: 'SIGTERM',
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, durationMs: Date.now() - started });
      },
    );
  });
}

/** The output of a command for an assertion message: the command, its exit code, and the end of its output. */
export function describeResult(what: string, result: CommandResult): string {
  const tail = (text: string) => text.split('\n').slice(-30).join('\n');
  return `${what} exited ${result.code} after ${result.durationMs} ms\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`;
}
