// Properties of the redis.conf parser and lint: quoting round-trips, and any text (noise, directive-shaped lines,
// edited corpus files) loads or gives exit 2 naming the file, and lint reports an error for every file the loader refuses.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintRedisConf, type LintReport } from '../../src/lint/index.ts';
import { effectiveConfig } from '../../src/lint/effective-config.ts';
import { loadRedisConf, splitArgs } from '../../src/redis-conf/index.ts';
import { corpusDir } from '../lint/corpus.ts';
import { anyText, mutationsOf, runs } from './arbitraries.ts';
import { loadOutcome, type Outcome } from './expect-invalid-input.ts';

let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-fuzz-conf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function outcomeOf(text: string): Promise<Outcome> {
  const file = join(dir, `fuzz-${counter++}.conf`);
  await writeFile(file, text);
  // redis-server "started" in the corpus directory: relative includes and globs reach real files there
  const strict = await loadOutcome(() => effectiveConfig(loadRedisConf(file, { cwd: corpusDir })), file, text);
  // lint collects instead of throwing: it may only refuse what is no config at all, and must report an error finding
  // for every file the strict loader refuses
  let report: LintReport | undefined;
  const linted = await loadOutcome(
    () => (report = lintRedisConf(file, { cwd: corpusDir, machineMemoryBytes: 8 * 1024 ** 3 })),
    file,
    text,
  );
  if (strict === 'invalid-input' && linted === 'loaded') expect(report?.counts.error).toBeGreaterThan(0);
  if (strict === 'loaded') expect(linted).toBe('loaded');
  return strict;
}

/** Writes one argument the way a careful redis.conf author would: bare when safe, else "double quoted" with escapes. */
function encodeArg(arg: string): string {
  const isControl = (c: string) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\x7f';
  if (arg !== '' && ![...arg].some((c) => isControl(c) || /[\s"'\\]/.test(c))) return arg;
  const escaped = [...arg]
    .map((c) => {
      if (c === '\\' || c === '"') return `\\${c}`;
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
    })
    .join('');
  return `"${escaped}"`;
}

const directiveNames = [
  'maxmemory',
  'MAXMEMORY',
  'maxmemory-policy',
  'save',
  'appendonly',
  'protected-mode',
  'bind',
  'requirepass',
  'user',
  'rename-command',
  'include',
  'aclfile',
  'enable-debug-command',
  'dir',
  'port',
  'x-unknown',
];
const argWord = fc.oneof(
  fc.constantFrom(
    '20gb',
    '1g',
    '500m',
    '500mb',
    '0',
    '-1',
    'yes',
    'no',
    'local',
    'allkeys-lru',
    'volatile-ttl',
    'noeviction',
    'nope',
    '*',
    '-::*',
    '127.0.0.1',
    'default',
    'on',
    'off',
    'nopass',
    '>pw',
    '+@all',
    '-@dangerous',
    '(+flushall',
    '~*)',
    '""',
    "''",
    '"',
    "'",
    '\\',
    '#',
    '*.conf',
    'includes/common.conf',
    '/',
    '.',
    '..',
  ),
  fc.string({ maxLength: 8 }),
);
const directiveLine = fc
  .tuple(fc.constantFrom(...directiveNames), fc.array(argWord, { maxLength: 4 }))
  .map(([name, args]) => [name, ...args].join(' '));
const directiveFile = fc
  .array(fc.oneof(directiveLine, fc.constant(''), fc.constant('# comment')), { maxLength: 12 })
  .map((lines) => lines.join('\n'));

describe('splitArgs', () => {
  it('reads back any arguments written with Redis quoting', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 1, maxLength: 6 }), (args) => {
        expect(splitArgs(args.map(encodeArg).join(' '))).toEqual(args);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('never throws on any line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (line) => void splitArgs(line)),
      { numRuns: runs(2000) },
    );
  });
});

describe('lint on malformed redis.conf', () => {
  it('any text', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => void (await outcomeOf(text))),
      { numRuns: runs(300) },
    );
  });

  it('directive-shaped lines with wrong arities, units, quotes, includes and ACL words', async () => {
    const outcomes: Outcome[] = [];
    await fc.assert(
      fc.asyncProperty(directiveFile, async (text) => void outcomes.push(await outcomeOf(text))),
      { numRuns: runs(500) },
    );
    expect(outcomes).toContain('invalid-input');
    expect(outcomes).toContain('loaded');
  });

  it('random edits of the corpus', async () => {
    const outcomes: Outcome[] = [];
    for (const name of [
      'good-sessions.conf',
      'incident.conf',
      'tricky-quoting.conf',
      'with-include.conf',
      'exposed.conf',
    ]) {
      const text = await readFile(join(corpusDir, name), 'utf8');
      await fc.assert(
        fc.asyncProperty(mutationsOf(text), async (edited) => void outcomes.push(await outcomeOf(edited))),
        { numRuns: runs(100) },
      );
    }
    expect(outcomes).toContain('invalid-input');
    expect(outcomes).toContain('loaded');
  });
});
