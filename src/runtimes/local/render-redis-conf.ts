// Renders the redis.conf a local server starts from: the user's file and directives, then what the harness must own.
import { resolve } from 'node:path';
import type { RedisOptions } from './types.ts';

/** Directives the harness sets itself; a user value for them is replaced. */
const owned = new Set([
  'port',
  'bind',
  'dir',
  'daemonize',
  'logfile',
  'pidfile',
  'unixsocket',
  'enable-debug-command',
  'supervised',
]);

export function quoteConfValue(value: string | number): string {
  const text = String(value);
  if (text === '') return '""';
  if (/^[^\s"'\\]+$/.test(text)) return text;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderRedisConf(options: RedisOptions, port: number, dir: string): string {
  const lines: string[] = ['# written by cachequake for one experiment'];
  if (options.configFile) lines.push(`include ${quoteConfValue(resolve(options.configFile))}`);

  const persistence = options.persistence;
  if (persistence || !options.configFile) {
    // Off unless asked for; with a user config file and no explicit choice, its own save/appendonly lines stand.
    lines.push(persistence?.rdb ? 'save 3600 1 300 100 60 10000' : 'save ""');
    lines.push(`appendonly ${persistence?.aof ? 'yes' : 'no'}`);
  }
  for (const [key, value] of Object.entries(options.config ?? {})) {
    if (owned.has(key.toLowerCase())) continue;
    // `save` takes several arguments on one line in a conf file
    lines.push(key.toLowerCase() === 'save' && value !== '' ? `save ${value}` : `${key} ${quoteConfValue(value)}`);
  }
  lines.push(
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${quoteConfValue(dir)}`,
    'daemonize no',
    `logfile ${quoteConfValue(`${dir}/redis.log`)}`,
    'enable-debug-command local',
    'repl-diskless-sync-delay 0',
  );
  return `${lines.join('\n')}\n`;
}
