// Loads a redis.conf as Redis does: line by line, `include` expanded in place (globs too), `dir` moving the base of
// later includes, cycles refused.
import { existsSync, globSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CachequakeError, invalidInput } from '../errors/index.ts';
import { displayPath } from '../schema/load-yaml-file.ts';
import type { ConfDirective, ConfProblem, IncludeResolution, RedisConf } from './conf-types.ts';
import { isSplitError, splitArgs } from './split-args.ts';

export interface LoadRedisConfOptions {
  /**
   * The directory redis-server would start in: relative includes are resolved against it first. Default: process.cwd().
   */
  cwd?: string;
  /**
   * Collect every line redis-server would refuse in `problems` and go on (lint), instead of throwing the first one.
   * A root file that cannot be read, or is not a config at all, still throws.
   */
  collectProblems?: boolean;
}

interface LoadState {
  cwd: string;
  directives: ConfDirective[];
  includes: IncludeResolution[];
  files: string[];
  /** The include chain being read, for cycle detection: real path and the directive that brought it in. */
  stack: { real: string; via: ConfDirective | undefined }[];
  /** Set when collecting: problems land here instead of being thrown. */
  problems: ConfProblem[] | undefined;
}

export function loadRedisConf(file: string, options: LoadRedisConfOptions = {}): RedisConf {
  const absolute = resolve(file);
  const state: LoadState = {
    cwd: resolve(options.cwd ?? process.cwd()),
    directives: [],
    includes: [],
    files: [],
    stack: [],
    problems: options.collectProblems ? [] : undefined,
  };
  readConfFile(absolute, undefined, state);
  return resultOf(absolute, state);
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
    problems: options.collectProblems ? [] : undefined,
  };
  parseText(text, absolute, state);
  return resultOf(absolute, state);
}

function resultOf(file: string, state: LoadState): RedisConf {
  const { files, directives, includes } = state;
  return { file, files, directives, includes, problems: state.problems ?? [] };
}

/**
 * A line redis-server would refuse: thrown by the strict loader, collected (with the include chain) when collecting.
 * `at` is the line the problem is on.
 */
function problem(state: LoadState, error: CachequakeError, at: { file: string; line: number; text?: string }): void {
  if (!state.problems) throw error;
  const chain = state.stack
    .map((entry) => entry.via)
    .filter((via) => via !== undefined)
    .reverse()
    .map((via) => `\n  included from ${displayPath(via.file)}:${via.line} (${via.text})`)
    .join('');
  state.problems.push({
    code: error.code as ConfProblem['code'],
    message: `${error.message}${chain}`,
    hint: error.hint ?? '',
    file: at.file,
    line: at.line,
    text: at.text,
  });
}

/** Refuses what is not a redis.conf at all — a binary file, JSON — before its lines give misleading messages. */
function notAConfig(text: string): string | undefined {
  if (text.includes('\0')) return 'it holds NUL bytes: a binary file, not a text config';
  const replaced = text.length === 0 ? 0 : (text.match(/\uFFFD/g)?.length ?? 0) / text.length;
  if (replaced > 0.01) return 'it is not UTF-8 text: a binary file, not a text config';
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      JSON.parse(text);
      return 'it is JSON; redis.conf is one directive per line (`maxmemory 2gb`)';
    } catch {
      return undefined;
    }
  }
  return undefined;
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
    if (via && state.problems) {
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      problem(
        state,
        invalidInput(
          'CQ_REDIS_CONF_INCLUDE_NOT_FOUND',
          `${displayPath(via.file)}:${via.line}: cannot read the redis.conf ${displayPath(file)}: ${code}`,
          {
            file: via.file,
            hint: 'Fix the path in the include line; redis-server resolves a relative include against its working directory.',
          },
        ),
        via,
      );
      return;
    }
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
  const notConfig = notAConfig(text);
  if (notConfig) {
    const error = invalidInput(
      'CQ_REDIS_CONF_NOT_A_CONFIG',
      `${displayPath(file)} is not a redis.conf: ${notConfig}.`,
      {
        file: via?.file ?? file,
        hint: via
          ? `Fix the include line at ${displayPath(via.file)}:${via.line}: it brings in a file that is not a config.`
          : 'Pass the redis.conf file itself (a text file with lines such as `maxmemory 2gb`).',
      },
    );
    if (!via) throw error;
    problem(state, error, via);
    return;
  }
  const loop = state.stack.findIndex((entry) => entry.real === real);
  if (loop >= 0) {
    const chain = [...state.stack.slice(loop + 1).map((e) => e.via), via]
      .filter((d) => d !== undefined)
      .map((d) => `${displayPath(d.file)}:${d.line} (${d.text})`);
    const error = invalidInput(
      'CQ_REDIS_CONF_INCLUDE_CYCLE',
      `include cycle: ${chain.join(' → ')} → back to ${displayPath(file)}`,
      {
        file: via?.file ?? file,
        hint: 'redis-server would recurse until it crashes; remove one of these include lines.',
      },
    );
    if (!state.problems || !via) throw error;
    state.problems.push({
      code: 'CQ_REDIS_CONF_INCLUDE_CYCLE',
      message: error.message,
      hint: error.hint ?? '',
      file: via.file,
      line: via.line,
      text: via.text,
    });
    return;
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
      const error = invalidInput(
        'CQ_REDIS_CONF_SYNTAX',
        `${displayPath(file)}:${index + 1}: ${split.error} in \`${trimmed}\``,
        {
          file,
          hint: 'Close the quote on the same line (redis-server refuses this line with "Unbalanced quotes in configuration line"); write a literal quote inside "…" as \\".',
        },
      );
      problem(state, error, { file, line: index + 1, text: trimmed });
      continue;
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
    const error = invalidInput(
      'CQ_REDIS_CONF_INVALID',
      `${displayPath(directive.file)}:${directive.line}: include takes one path, got ${directive.args.length} argument(s) in \`${directive.text}\``,
      {
        file: directive.file,
        hint: 'Write one include line per file, e.g. include /etc/redis/common.conf; quote a path with spaces.',
      },
    );
    problem(state, error, directive);
    return;
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
  const error = invalidInput(
    'CQ_REDIS_CONF_INCLUDE_NOT_FOUND',
    `${displayPath(directive.file)}:${directive.line}: include ${pattern}: no such file (looked at ${tried})`,
    {
      file: directive.file,
      hint: 'Fix the path; redis-server resolves a relative include against the directory it was started in (or the last `dir` line), so an absolute path is safest.',
    },
  );
  problem(state, error, directive);
}
