// The error catalogue: every class maps to its documented exit code, every code used in src/ is declared and every
// declared code is used, the compiler refuses a code of the wrong class, and docs/errors.md is the catalogue.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CachequakeError,
  environmentError,
  errorCatalogue,
  errorCodes,
  exitClassOf,
  exitCodeOfClass,
  invalidInput,
  type ExitClass,
} from '../../src/errors/index.ts';
import { exitCodeOf, exitInputOf } from '../../src/cli/commands/run.ts';
import { toJournalError } from '../../src/engine/journal-error.ts';
import { SteadyStateDeviation } from '../../src/engine/steady-state.ts';
import { errorsDocFile, renderErrorsDoc } from '../../scripts/write-errors-doc.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The exit codes as the README documents them. */
const documented: Record<ExitClass, number> = {
  deviated: 1,
  'invalid-input': 2,
  environment: 3,
  aborted: 4,
  internal: 70,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every CQ_* token in src/, outside the catalogue itself, with the file it is in. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(srcDir)) {
    if (file.endsWith(join('errors', 'error-catalogue.ts'))) continue;
    for (const [token] of readFileSync(file, 'utf8').matchAll(/\bCQ_[A-Z0-9_]*/g))
      if (!found.has(token)) found.set(token, file.slice(srcDir.length));
  }
  return found;
}

describe('the error catalogue', () => {
  it('maps each exit class to the exit code the README documents', () => {
    expect(exitCodeOfClass).toEqual(documented);
    for (const [exitClass, code] of Object.entries(documented)) {
      const words = {
        deviated: 'expectation failed',
        'invalid-input': 'invalid input',
        environment: 'environment',
        aborted: 'aborted',
        internal: 'bug',
      }[exitClass as ExitClass];
      expect(readme).toMatch(new RegExp(`\\*\\*${code}\\*\\* [^*]*${words}`));
    }
  });

  it('gives every code its class and that class its exit code, also through a CachequakeError', () => {
    expect(errorCodes.length).toBeGreaterThanOrEqual(90);
    for (const code of errorCodes) {
      expect(code).toMatch(/^CQ_[A-Z0-9_]+$/);
      const { exitClass, meaning } = errorCatalogue[code];
      expect(Object.keys(documented)).toContain(exitClass);
      expect(meaning.length, code).toBeGreaterThan(15);
      const error = new CachequakeError('m', { code });
      expect({ code, kind: error.kind, exitCode: error.exitCode }).toEqual({
        code,
        kind: exitClass,
        exitCode: documented[exitClass],
      });
    }
    // every class has members
    expect(new Set(errorCodes.map((c) => errorCatalogue[c].exitClass))).toEqual(new Set(Object.keys(documented)));
  });

  it('declares every CQ_* code used in src/ and holds no code that src/ never uses', () => {
    const used = codesInSource();
    const undeclared = [...used].filter(([code]) => !(code in errorCatalogue)).map(([c, f]) => `${c} in ${f}`);
    expect(undeclared).toEqual([]);
    const dead = errorCodes.filter((code) => !used.has(code));
    expect(dead).toEqual([]);
  });

  it('lets the compiler refuse an unknown code and a code of another class', () => {
    // @ts-expect-error: not a catalogue code
    expect(() => new CachequakeError('m', { code: 'CQ_NO_SUCH_CODE' })).toThrow();
    // @ts-expect-error: CQ_REDIS_NOT_INSTALLED is an environment code
    invalidInput('CQ_REDIS_NOT_INSTALLED', 'm');
    // @ts-expect-error: CQ_TOPOLOGY_RUNTIME is an invalid-input code
    environmentError('CQ_TOPOLOGY_RUNTIME', 'm');
    expect(invalidInput('CQ_TOPOLOGY_RUNTIME', 'm').exitCode).toBe(2);
    expect(environmentError('CQ_REDIS_NOT_INSTALLED', 'm').exitCode).toBe(3);
  });

  it('docs/errors.md is the catalogue (regenerate: node scripts/write-errors-doc.ts)', () => {
    const doc = readFileSync(errorsDocFile, 'utf8');
    expect(doc).toBe(renderErrorsDoc());
    for (const code of errorCodes) expect(doc).toContain(`| \`${code}\` |`);
    expect(readme).toContain('[docs/errors.md](docs/errors.md)');
  });
});

describe('the journal record of an error and the exit code read from it', () => {
  it('stores the exit class; a plain Error becomes CQ_INTERNAL with its stack', () => {
    expect(toJournalError(invalidInput('CQ_TOPOLOGY_RUNTIME', 'x', { hint: 'h' }))).toEqual({
      code: 'CQ_TOPOLOGY_RUNTIME',
      exitClass: 'invalid-input',
      message: 'x',
      hint: 'h',
    });
    expect(toJournalError(environmentError('CQ_REDIS_NOT_INSTALLED', 'y'))).toEqual({
      code: 'CQ_REDIS_NOT_INSTALLED',
      exitClass: 'environment',
      message: 'y',
    });
    const bug = toJournalError(new TypeError('undefined is not a function'));
    expect(bug).toMatchObject({ code: 'CQ_INTERNAL', exitClass: 'internal', message: 'undefined is not a function' });
    expect(bug.stack).toContain('TypeError: undefined is not a function');
    expect(toJournalError('thrown string')).toEqual({
      code: 'CQ_INTERNAL',
      exitClass: 'internal',
      message: 'thrown string',
    });
  });

  it('exits with the stored class: invalid input 2, environment 3, internal 70, aborted 4, failed 1', () => {
    const errorOf = (error: unknown) => exitInputOf({ status: 'error', error: toJournalError(error) });
    expect(exitCodeOf([errorOf(invalidInput('CQ_TOPOLOGY_RUNTIME', 'x'))])).toBe(2);
    expect(exitCodeOf([errorOf(invalidInput('CQ_FAULT_NEEDS_SENTINEL', 'x'))])).toBe(2);
    expect(exitCodeOf([errorOf(environmentError('CQ_TOXIPROXY_UNREACHABLE', 'x'))])).toBe(3);
    expect(exitCodeOf([errorOf(new Error('bug'))])).toBe(70);
    expect(exitCodeOf([{ status: 'aborted' }, errorOf(new Error('bug'))])).toBe(4);
    expect(exitCodeOf([errorOf(environmentError('CQ_TOXIPROXY_UNREACHABLE', 'x')), errorOf(new Error('bug'))])).toBe(
      70,
    );
    expect(
      exitCodeOf([
        errorOf(environmentError('CQ_TOXIPROXY_UNREACHABLE', 'x')),
        errorOf(invalidInput('CQ_FAULT_SHARD', 'x')),
      ]),
    ).toBe(2);
    expect(exitCodeOf([{ status: 'failed' }, { status: 'passed' }])).toBe(1);
    expect(exitCodeOf([{ status: 'passed' }])).toBe(0);
  });

  it('reads a journal written before the class was stored by its code, never by its name', () => {
    // CQ_TOPOLOGY_RUNTIME and CQ_TARGET_UNKNOWN exited 3 under the old name pattern
    expect(exitCodeOf([{ status: 'error', code: 'CQ_TOPOLOGY_RUNTIME' }])).toBe(2);
    expect(exitCodeOf([{ status: 'error', code: 'CQ_TARGET_UNKNOWN' }])).toBe(2);
    expect(exitCodeOf([{ status: 'error', code: 'CQ_REDIS_NOT_INSTALLED' }])).toBe(3);
    expect(exitCodeOf([{ status: 'error', code: 'CQ_INTERNAL' }])).toBe(70);
    expect(exitClassOf({ code: 'CQ_FROM_A_FUTURE_VERSION' })).toBe('internal');
    // the stored class wins over the code
    expect(exitClassOf({ code: 'CQ_INTERNAL', exitClass: 'environment' })).toBe('environment');
  });
});

describe('SteadyStateDeviation', () => {
  it('is its own error type of class deviated (exit 1), naming each failed probe and what it saw', () => {
    const error = new SteadyStateDeviation([
      { name: 'GET /health', path: '/health', status: 200, passed: true, detail: 'status 200' },
      { name: 'home page', path: '/', status: 503, passed: false, detail: 'status 503, expected 200' },
      { name: 'GET /ready', path: '/ready', status: null, passed: false, detail: 'connect ECONNREFUSED' },
    ]);
    expect(error).toBeInstanceOf(CachequakeError);
    expect(error).toMatchObject({ code: 'CQ_STEADY_STATE_DEVIATED', kind: 'deviated', exitCode: 1 });
    expect(error.message).toBe(
      'the steady state does not hold before any fault: home page (GET /): status 503, expected 200; GET /ready: connect ECONNREFUSED',
    );
    expect(error.failed.map((r) => r.name)).toEqual(['home page', 'GET /ready']);
    expect(toJournalError(error)).toMatchObject({ code: 'CQ_STEADY_STATE_DEVIATED', exitClass: 'deviated' });
    expect(toJournalError(error).stack).toBeUndefined();
  });
});
