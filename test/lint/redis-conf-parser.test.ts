// The redis.conf parser: Redis's quoting and escapes, memory units, case, repeated lines, includes (cwd, file dir,
// globs, dir), cycles and errors.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachequakeError } from '../../src/errors/index.ts';
import { loadRedisConf, parseMemorySize, parseRedisConfText, splitArgs } from '../../src/redis-conf/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-conf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function errorOf(run: () => unknown): CachequakeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CachequakeError);
    return error as CachequakeError;
  }
  throw new Error('expected a CachequakeError');
}

describe('splitArgs (sdssplitargs)', () => {
  it('splits on spaces and tabs', () => {
    expect(splitArgs('save  900 1\t300 10')).toEqual(['save', '900', '1', '300', '10']);
  });
  it('reads double quotes with escapes: \\n \\t \\" \\\\ and \\xHH', () => {
    expect(splitArgs('requirepass "a b\\n\\t\\"q\\"\\\\\\x41\\x7a"')).toEqual(['requirepass', 'a b\n\t"q"\\Az']);
  });
  it('keeps \\x without two hex digits as a plain x', () => {
    expect(splitArgs('k "\\xZZ"')).toEqual(['k', 'xZZ']);
  });
  it("reads single quotes literally except \\'", () => {
    expect(splitArgs("k 'a\\nb \\'c\\''")).toEqual(['k', "a\\nb 'c'"]);
  });
  it('gives an empty string for "" and \'\'', () => {
    expect(splitArgs(`rename-command CONFIG ""`)).toEqual(['rename-command', 'CONFIG', '']);
    expect(splitArgs(`save ''`)).toEqual(['save', '']);
  });
  it('ends the line at a NUL byte, as Redis walking a C string does (found by the fuzz test: it looped forever)', () => {
    expect(splitArgs('maxmemory 1mb\0 trailing')).toEqual(['maxmemory', '1mb']);
    expect(splitArgs('\0')).toEqual([]);
  });
  it('opens a quoted part in the middle of a word, as Redis does', () => {
    expect(splitArgs('k a"b c"')).toEqual(['k', 'ab c']);
  });
  it('refuses an unterminated quote and a closing quote glued to text, with the column', () => {
    expect(splitArgs('requirepass "secret')).toEqual({ error: 'unterminated "double quote"', column: 13 });
    expect(splitArgs("k 'x")).toEqual({ error: "unterminated 'single quote'", column: 3 });
    expect(splitArgs('k "a"b')).toEqual({ error: 'a closing quote must be followed by a space', column: 6 });
  });
});

describe('parseMemorySize (memtoll)', () => {
  it.each([
    ['20gb', 20 * 1024 ** 3],
    ['20GB', 20 * 1024 ** 3],
    ['1g', 1e9],
    ['500mb', 500 * 1024 ** 2],
    ['500m', 500e6],
    ['1k', 1000],
    ['1kb', 1024],
    ['1024', 1024],
    ['7b', 7],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });
  it.each(['20gib', '1.5gb', '20 gb', 'gb', '', '10tb'])('refuses %j', (text) => {
    expect(parseMemorySize(text)).toBeUndefined();
  });
});

describe('parseRedisConfText', () => {
  it('keeps every directive with its line, lowercases names, skips comments and blank lines', () => {
    const conf = parseRedisConfText(
      '# c\n\n  MaxMemory 1GB  \r\nSAVE 900 1\nsave 300 10\n   # indented comment\nuser alice on >x\n',
      join(dir, 'x.conf'),
    );
    expect(conf.directives.map((d) => [d.name, d.args, d.line])).toEqual([
      ['maxmemory', ['1GB'], 3],
      ['save', ['900', '1'], 4],
      ['save', ['300', '10'], 5],
      ['user', ['alice', 'on', '>x'], 7],
    ]);
    expect(conf.directives[0]?.text).toBe('MaxMemory 1GB');
  });
  it('names file and line for an unterminated quote', () => {
    const error = errorOf(() => parseRedisConfText('maxmemory 1gb\nrequirepass "oops\n', join(dir, 'q.conf')));
    expect(error.code).toBe('CQ_REDIS_CONF_SYNTAX');
    expect(error.kind).toBe('invalid-input');
    expect(error.message).toMatch(/q\.conf:2: unterminated "double quote" in `requirepass "oops`/);
  });
});

describe('loadRedisConf includes', () => {
  it('resolves a relative include against the working directory first, like redis-server', async () => {
    await mkdir(join(dir, 'cwd-a'), { recursive: true });
    await mkdir(join(dir, 'conf-a'), { recursive: true });
    await writeFile(join(dir, 'cwd-a', 'part.conf'), 'maxmemory 1mb\n');
    await writeFile(join(dir, 'conf-a', 'part.conf'), 'maxmemory 2mb\n');
    await writeFile(join(dir, 'conf-a', 'main.conf'), 'include part.conf\n');
    const conf = loadRedisConf(join(dir, 'conf-a', 'main.conf'), { cwd: join(dir, 'cwd-a') });
    expect(conf.directives.map((d) => d.text)).toEqual(['include part.conf', 'maxmemory 1mb']);
    expect(conf.includes[0]?.resolvedFrom).toBe('cwd');
  });
  it("falls back to the including file's directory and says so", () => {
    const conf = loadRedisConf(join(dir, 'conf-a', 'main.conf'), { cwd: tmpdir() });
    expect(conf.directives.map((d) => d.text)).toEqual(['include part.conf', 'maxmemory 2mb']);
    expect(conf.includes[0]?.resolvedFrom).toBe('file-dir');
    expect(conf.files).toEqual([join(dir, 'conf-a', 'main.conf'), join(dir, 'conf-a', 'part.conf')]);
  });
  it('follows a dir line for later relative includes (Redis chdirs while reading)', async () => {
    await writeFile(
      join(dir, 'conf-a', 'dir-main.conf'),
      `dir ${JSON.stringify(join(dir, 'cwd-a'))}\ninclude part.conf\n`,
    );
    const conf = loadRedisConf(join(dir, 'conf-a', 'dir-main.conf'), { cwd: tmpdir() });
    expect(conf.directives.at(-1)?.text).toBe('maxmemory 1mb');
  });
  it('expands a glob in sorted order and skips a glob that matches nothing', async () => {
    await mkdir(join(dir, 'glob', 'conf.d'), { recursive: true });
    await writeFile(join(dir, 'glob', 'conf.d', 'b.conf'), 'appendonly yes\n');
    await writeFile(join(dir, 'glob', 'conf.d', 'a.conf'), 'appendonly no\n');
    await writeFile(
      join(dir, 'glob', 'main.conf'),
      `include ${join(dir, 'glob', 'conf.d', '*.conf')}\ninclude ${join(dir, 'glob', 'none', '*.conf')}\n`,
    );
    const conf = loadRedisConf(join(dir, 'glob', 'main.conf'));
    expect(conf.directives.filter((d) => d.name === 'appendonly').map((d) => d.args[0])).toEqual(['no', 'yes']);
    expect(conf.includes.map((i) => i.files.length)).toEqual([2, 0]);
  });
  it('refuses a cycle and names the chain', async () => {
    await writeFile(join(dir, 'c1.conf'), `include ${join(dir, 'c2.conf')}\n`);
    await writeFile(join(dir, 'c2.conf'), `maxmemory 1mb\ninclude ${join(dir, 'c1.conf')}\n`);
    const error = errorOf(() => loadRedisConf(join(dir, 'c1.conf')));
    expect(error.code).toBe('CQ_REDIS_CONF_INCLUDE_CYCLE');
    expect(error.message).toMatch(/c1\.conf:1 .*→ .*c2\.conf:2 .*→ back to .*c1\.conf/);
  });
  it('allows the same file twice when it is not a cycle', async () => {
    await writeFile(
      join(dir, 'twice.conf'),
      `include ${join(dir, 'cwd-a', 'part.conf')}\ninclude ${join(dir, 'cwd-a', 'part.conf')}\n`,
    );
    expect(loadRedisConf(join(dir, 'twice.conf')).directives.filter((d) => d.name === 'maxmemory')).toHaveLength(2);
  });
  it('names the including line for a missing include and the paths it tried', async () => {
    await writeFile(join(dir, 'missing.conf'), '\ninclude nowhere.conf\n');
    const error = errorOf(() => loadRedisConf(join(dir, 'missing.conf'), { cwd: tmpdir() }));
    expect(error.code).toBe('CQ_REDIS_CONF_INCLUDE_NOT_FOUND');
    expect(error.message).toMatch(
      /missing\.conf:2: include nowhere\.conf: no such file \(looked at .*nowhere\.conf and .*nowhere\.conf\)/,
    );
  });
  it('names the including line for a problem inside an included file (found by the fuzz test)', async () => {
    await writeFile(join(dir, 'inner-bad.conf'), 'maxmemory 1mb\nrequirepass "open\n');
    await writeFile(join(dir, 'outer.conf'), `# outer\ninclude ${join(dir, 'inner-bad.conf')}\n`);
    const error = errorOf(() => loadRedisConf(join(dir, 'outer.conf')));
    expect(error.message).toMatch(
      /inner-bad\.conf:2: unterminated "double quote" in `requirepass "open`\n {2}included from .*outer\.conf:2 \(include /,
    );
  });
  it('refuses a missing root file and a directory with exit code 2', () => {
    expect(errorOf(() => loadRedisConf(join(dir, 'absent.conf'))).exitCode).toBe(2);
    expect(errorOf(() => loadRedisConf(dir)).message).toMatch(/EISDIR/);
  });
});
