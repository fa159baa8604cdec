// Loads a redis.conf as Redis does: line by line, `include` expanded in place (globs too), `dir` moving the base of
// later includes, cycles refused.
import { existsSync, globSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CachequakeError, invalidInput } from '../errors/index.ts';
import { displayPath } from '../schema/load-yaml-file.ts';
import type { ConfDirective, IncludeResolution, RedisConf } from './conf-types.ts';
import { isSplitError, splitArgs } from './split-args.ts';

export interface LoadRedisConfOptions {
  /**
   * The directory redis-server would start in: relative includes are resolved against it first. Default: process.cwd().
   */
  cwd?: string;
}

interface LoadState {
  cwd: string;
  directives: ConfDirective[];
  includes: IncludeResolution[];
  files: string[];
  /** The include chain being read, for cycle detection: real path and the directive that brought it in. */
  stack: { real: string; via: ConfDirective | undefined }[];
}

export function loadRedisConf(file: string, options: LoadRedisConfOptions = {}): RedisConf {
  const absolute = resolve(file);
  const state: LoadState = {
    cwd: resolve(options.cwd ?? process.cwd()),
    directives: [],
    includes: [],
    files: [],
    stack: [],
  };
  readConfFile(absolute, undefined, state);
  return { file: absolute, files: state.files, directives: state.directives, includes: state.includes };
}

/** Parses text that came from `file` (used for messages and relative includes). */
export function parseRedisConfText(text: string, file: string, options: LoadRedisConfOptions = {}): RedisConf {
  const absolute = resolve(file);
  const state: LoadState = {
    cwd: resolve(options.cwd ?? process.cwd()),
    directives: [],
    includes: [],
    files: [absolute],
    stack: [{ real: absolute, via: undefined }],
  };
  parseText(text, absolute, state);
  return { file: absolute, files: state.files, directives: state.directives, includes: state.includes };
}

function readConfFile(file: string, via: ConfDirective | undefined, state: LoadState): void {
  let text: string;
  let real: string;
  try {
    const info = statSync(file);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // a device or FIFO (/dev/zero) would never end: a config is a regular file
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    text = readFileSync(file, 'utf8');
    real = realpathSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    const where = via ? `${displayPath(via.file)}:${via.line}: ` : '';
    throw invalidInput(
      via ? 'CQ_REDIS_CONF_INCLUDE_NOT_FOUND' : 'CQ_FILE_NOT_FOUND',
      `${where}cannot read the redis.conf ${displayPath(file)}: ${code}`,
      {
        file: via?.file ?? file,
        cause,
        hint: via
          ? 'Fix the path in the include line; redis-server resolves a relative include against its working directory.'
          : 'Check the path; it is resolved against the current directory.',
      },
    );
  }
  const loop = state.stack.findIndex((entry) => entry.real === real);
  if (loop >= 0) {
    const chain = [...state.stack.slice(loop + 1).map((e) => e.via), via]
      .filter((d) => d !== undefined)
      .map((d) => `${displayPath(d.file)}:${d.line} (${d.text})`);
    throw invalidInput(
      'CQ_REDIS_CONF_INCLUDE_CYCLE',
      `include cycle: ${chain.join(' → ')} → back to ${displayPath(file)}`,
      {
        file: via?.file ?? file,
        hint: 'redis-server would recurse until it crashes; remove one of these include lines.',
      },
    );
  }
  state.files.push(file);
  state.stack.push({ real, via });
  try {
    parseText(text, file, state);
  } catch (error) {
    // a problem inside an included file also names the line that included it
    if (!via || !(error instanceof CachequakeError) || error.code === 'CQ_REDIS_CONF_INCLUDE_CYCLE') throw error;
    throw new CachequakeError(`${error.message}\n  included from ${displayPath(via.file)}:${via.line} (${via.text})`, {
      code: error.code,
      hint: error.hint,
      file: error.file,
      cause: error.cause,
    });
  }
  state.stack.pop();
}

/** ` (included from main.conf:3 ← …)` for a directive in an included file, '' for one in the root file. */
export function includedFrom(conf: RedisConf, file: string): string {
  const chain: string[] = [];
  let current = file;
  for (let depth = 0; depth < 64; depth++) {
    const including = conf.includes.find((inc) => inc.files.includes(current));
    if (!including) break;
    chain.push(`${displayPath(including.directive.file)}:${including.directive.line}`);
    current = including.directive.file;
  }
  return chain.length === 0 ? '' : ` (included from ${chain.join(' ← ')})`;
}

function parseText(text: string, file: string, state: LoadState): void {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const trimmed = (lines[index] ?? '').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const split = splitArgs(trimmed);
    if (isSplitError(split)) {
      throw invalidInput(
        'CQ_REDIS_CONF_SYNTAX',
        `${displayPath(file)}:${index + 1}: ${split.error} in \`${trimmed}\``,
        {
          file,
          hint: 'Close the quote on the same line (redis-server refuses this line with "Unbalanced quotes in configuration line"); write a literal quote inside "…" as \\".',
        },
      );
    }
    const [name, ...args] = split;
    if (name === undefined) continue;
    const directive: ConfDirective = { name: name.toLowerCase(), args, file, line: index + 1, text: trimmed };
    state.directives.push(directive);
    if (directive.name === 'dir' && args.length === 1) state.cwd = resolve(state.cwd, args[0] as string);
    if (directive.name === 'include') includeFiles(directive, state);
  }
}

function includeFiles(directive: ConfDirective, state: LoadState): void {
  const [pattern] = directive.args;
  if (directive.args.length !== 1 || pattern === undefined || pattern === '') {
    throw invalidInput(
      'CQ_REDIS_CONF_INVALID',
      `${displayPath(directive.file)}:${directive.line}: include takes one path, got ${directive.args.length} argument(s) in \`${directive.text}\``,
      {
        file: directive.file,
        hint: 'Write one include line per file, e.g. include /etc/redis/common.conf; quote a path with spaces.',
      },
    );
  }
  const candidates: { base: string; from: IncludeResolution['resolvedFrom'] }[] = isAbsolute(pattern)
    ? [{ base: '/', from: 'absolute' }]
    : [
        { base: state.cwd, from: 'cwd' },
        { base: dirname(directive.file), from: 'file-dir' },
      ];
  const isGlob = /[*?[]/.test(pattern);
  for (const { base, from } of candidates) {
    const full = resolve(base, pattern);
    // glob(3) as Redis calls it has no recursive `**`: it is a plain `*` within one path segment
    const files = isGlob ? globSync(full.replace(/\*{2,}/g, '*')).sort() : existsSync(full) ? [full] : [];
    if (files.length === 0) continue;
    state.includes.push({ directive, files, resolvedFrom: from });
    for (const included of files) readConfFile(included, directive, state);
    return;
  }
  if (isGlob) {
    // Redis skips a glob that matches nothing (an empty conf.d is fine)
    state.includes.push({ directive, files: [], resolvedFrom: candidates[0]?.from ?? 'cwd' });
    return;
  }
  const tried = candidates.map((c) => resolve(c.base, pattern)).join(' and ');
  throw invalidInput(
    'CQ_REDIS_CONF_INCLUDE_NOT_FOUND',
    `${displayPath(directive.file)}:${directive.line}: include ${pattern}: no such file (looked at ${tried})`,
    {
      file: directive.file,
      hint: 'Fix the path; redis-server resolves a relative include against the directory it was started in (or the last `dir` line), so an absolute path is safest.',
    },
  );
}
