// What a redis.conf means once Redis has applied it: last value wins, save lines add up, defaults fill the gaps, users
// and renames collected.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CachequakeError, invalidInput } from '../errors/index.ts';
import {
  includedFrom,
  memoryUnitHint,
  parseMemorySize,
  splitArgs,
  isSplitError,
  type ConfDirective,
  type ConfProblem,
  type RedisConf,
} from '../redis-conf/index.ts';
import { displayPath } from '../schema/load-yaml-file.ts';
import { applyAclRules, defaultUser, type AclUser } from './acl-permissions.ts';

export const evictionPolicies = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
] as const;
export type EvictionPolicy = (typeof evictionPolicies)[number];

export interface Setting<T> {
  readonly value: T;
  /** The line that set it; undefined when Redis's default applies. */
  readonly directive: ConfDirective | undefined;
}

export interface EffectiveConfig {
  readonly conf: RedisConf;
  /** 0 = no limit. */
  readonly maxmemoryBytes: Setting<number>;
  readonly policy: Setting<EvictionPolicy>;
  /** Snapshot points in effect; `directives` empty means Redis's default `3600 1 300 100 60 10000`. */
  readonly save: { points: readonly { seconds: number; changes: number }[]; directives: readonly ConfDirective[] };
  readonly appendonly: Setting<boolean>;
  readonly protectedMode: Setting<boolean>;
  /** Bind addresses; Redis 7.0's default is `* -::*` (every interface). */
  readonly bind: Setting<readonly string[]>;
  readonly debugCommand: Setting<'yes' | 'no' | 'local'>;
  /** Lowercased command → its new name ('' = disabled), with the line. */
  readonly renamed: ReadonlyMap<string, { to: string; directive: ConfDirective }>;
  /** The default user after requirepass and any `user default` line. */
  readonly defaultUser: Setting<AclUser>;
  /** aclfile, when set, and whether it could be read. */
  readonly aclfile: { path: string; directive: ConfDirective; read: boolean } | undefined;
}

const defaultSave = [
  { seconds: 3600, changes: 1 },
  { seconds: 300, changes: 100 },
  { seconds: 60, changes: 10000 },
];

/** The config being read, so a bad value in an included file also names the line that included it. */
let current: RedisConf | undefined;
/** Where bad values go when collecting (lint); undefined: the first one is thrown. */
let collected: ConfProblem[] | undefined;

function fail(directive: ConfDirective, problem: string, hint: string): never {
  const via = current ? includedFrom(current, directive.file) : '';
  throw invalidInput(
    'CQ_REDIS_CONF_INVALID',
    `${displayPath(directive.file)}:${directive.line}: ${directive.name}: ${problem} in \`${directive.text}\`${via}`,
    { file: directive.file, hint },
  );
}

function single(d: ConfDirective): string {
  if (d.args.length !== 1) {
    const comment = d.args.slice(1).some((a) => a.startsWith('#'));
    fail(
      d,
      `takes one argument, got ${d.args.length}`,
      comment
        ? 'redis.conf has no trailing comments: move the `# …` part to a line of its own.'
        : `Write \`${d.name} <value>\`; quote a value that contains spaces.`,
    );
  }
  return d.args[0] as string;
}

function yesNo(d: ConfDirective): boolean {
  const v = single(d).toLowerCase();
  if (v !== 'yes' && v !== 'no')
    fail(d, `expected yes or no, got ${JSON.stringify(d.args[0])}`, `Write \`${d.name} yes\` or \`${d.name} no\`.`);
  return v === 'yes';
}

/**
 * What Redis would run with. Without `problems` a value Redis would refuse throws (CQ_REDIS_CONF_INVALID); with it,
 * each such value is pushed there and Redis's default stands in for it, so every problem is reported at once.
 */
export function effectiveConfig(conf: RedisConf, problems?: ConfProblem[]): EffectiveConfig {
  current = conf;
  collected = problems;
  try {
    return readEffective(conf);
  } finally {
    current = undefined;
    collected = undefined;
  }
}

/** Reads one setting; when collecting, a refused value is recorded and `fallback` (Redis's default) used instead. */
function orDefault<T>(directive: ConfDirective | undefined, read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (!collected || !(error instanceof CachequakeError) || !directive) throw error;
    collected.push({
      code: 'CQ_REDIS_CONF_INVALID',
      message: error.message,
      hint: error.hint ?? '',
      file: directive.file,
      line: directive.line,
      text: directive.text,
    });
    return fallback;
  }
}

function readEffective(conf: RedisConf): EffectiveConfig {
  const last = (name: string) => conf.directives.filter((d) => d.name === name).at(-1);
  const all = (name: string) => conf.directives.filter((d) => d.name === name);

  const maxmemoryLine = last('maxmemory');
  const maxmemory = orDefault(
    maxmemoryLine,
    () => {
      if (!maxmemoryLine) return 0;
      const bytes = parseMemorySize(single(maxmemoryLine));
      if (bytes === undefined || bytes < 0)
        fail(
          maxmemoryLine,
          `${JSON.stringify(maxmemoryLine.args[0])} is not a memory value`,
          `Write ${memoryUnitHint}.`,
        );
      return bytes;
    },
    0,
  );

  const policyLine = last('maxmemory-policy');
  const policyText = orDefault(
    policyLine,
    () => {
      const text = policyLine ? single(policyLine).toLowerCase() : 'noeviction';
      if (!(evictionPolicies as readonly string[]).includes(text)) {
        fail(
          policyLine as ConfDirective,
          `unknown policy ${JSON.stringify(policyLine?.args[0])}`,
          `Use one of ${evictionPolicies.join(', ')}.`,
        );
      }
      return text;
    },
    'noeviction',
  );

  // save lines add up; `save ""` clears what came before (Redis 7.0 setConfigSaveOption)
  let points: { seconds: number; changes: number }[] = [];
  const saveLines = all('save');
  for (const d of saveLines) {
    let words = d.args.length === 1 ? (d.args[0] as string).split(' ').filter((w) => w !== '') : [...d.args];
    if (d.args.length === 1 && d.args[0] === '') {
      points = [];
      words = [];
    }
    const valid = orDefault(
      d,
      () => {
        if (words.length % 2 !== 0 || words.some((w) => !/^\d+$/.test(w)))
          fail(
            d,
            'expects pairs of <seconds> <changes>',
            'Write e.g. `save 3600 1 300 100`, or `save ""` to switch snapshots off.',
          );
        return true;
      },
      false,
    );
    if (!valid) continue;
    for (let i = 0; i < words.length; i += 2) points.push({ seconds: Number(words[i]), changes: Number(words[i + 1]) });
  }

  const bindLine = last('bind');
  const debugLine = last('enable-debug-command');
  const debug = orDefault(
    debugLine,
    () => {
      const value = debugLine ? single(debugLine).toLowerCase() : 'no';
      if (debugLine && value !== 'yes' && value !== 'no' && value !== 'local')
        fail(
          debugLine,
          `expected yes, no or local, got ${JSON.stringify(debugLine.args[0])}`,
          'Write `enable-debug-command no`.',
        );
      return value;
    },
    'no',
  );

  const renamed = new Map<string, { to: string; directive: ConfDirective }>();
  for (const d of all('rename-command')) {
    const valid = orDefault(
      d,
      () => {
        if (d.args.length !== 2)
          fail(
            d,
            `takes two arguments, got ${d.args.length}`,
            'Write `rename-command FLUSHALL ""` to disable a command, or give it a new secret name.',
          );
        return true;
      },
      false,
    );
    if (!valid) continue;
    renamed.set((d.args[0] as string).toLowerCase(), { to: d.args[1] as string, directive: d });
  }

  // requirepass sets the default user's password; a `user default` line (applied after the config is read) resets it
  let user = defaultUser();
  let userLine: ConfDirective | undefined;
  const passLine = last('requirepass');
  const pass = passLine ? orDefault(passLine, () => single(passLine), undefined) : undefined;
  if (passLine && pass !== undefined) {
    user = { ...user, nopass: pass === '', passwords: pass === '' ? 0 : 1 };
    userLine = passLine;
  }
  const aclfileLine = last('aclfile');
  const userLines = [...all('user')];
  let aclfile: EffectiveConfig['aclfile'];
  const aclPath = aclfileLine ? orDefault(aclfileLine, () => single(aclfileLine), undefined) : undefined;
  if (aclfileLine && aclPath !== undefined) {
    const path = aclPath;
    const candidates = isAbsolute(path) ? [path] : [resolve(dirname(aclfileLine.file), path), resolve(path)];
    const found = candidates.map((c) => ({ file: c, text: readOrUndefined(c) })).find((c) => c.text !== undefined);
    const text = found?.text;
    aclfile = { path, directive: aclfileLine, read: text !== undefined };
    text?.split('\n').forEach((line, index) => {
      const words = splitArgs(line.trim());
      if (isSplitError(words) || words[0]?.toLowerCase() !== 'user') return;
      userLines.push({
        name: 'user',
        args: words.slice(1),
        file: found?.file ?? path,
        line: index + 1,
        text: line.trim(),
      });
    });
  }
  for (const d of userLines) {
    if (d.args[0] === 'default') {
      user = applyAclRules(d.args.slice(1));
      userLine = d;
    }
  }

  return {
    conf,
    maxmemoryBytes: { value: maxmemory, directive: maxmemoryLine },
    policy: { value: policyText as EvictionPolicy, directive: policyLine },
    save: saveLines.length === 0 ? { points: defaultSave, directives: [] } : { points, directives: saveLines },
    appendonly: {
      value: orDefault(
        last('appendonly'),
        () => (last('appendonly') ? yesNo(last('appendonly') as ConfDirective) : false),
        false,
      ),
      directive: last('appendonly'),
    },
    protectedMode: {
      value: orDefault(
        last('protected-mode'),
        () => (last('protected-mode') ? yesNo(last('protected-mode') as ConfDirective) : true),
        true,
      ),
      directive: last('protected-mode'),
    },
    bind: { value: bindLine ? bindLine.args : ['*', '-::*'], directive: bindLine },
    debugCommand: { value: debug as 'yes' | 'no' | 'local', directive: debugLine },
    renamed,
    defaultUser: { value: user, directive: userLine },
    aclfile,
  };
}

function readOrUndefined(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
