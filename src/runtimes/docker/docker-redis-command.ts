// The redis-server command line of a Redis container: the candidate config file (copied in), the experiment's
// directives, persistence.
import type { RedisOptions } from '../local/types.ts';

export const containerConfigPath = '/usr/local/etc/redis/candidate.conf';

/**
 * `redis-server [file] --name value …`: directives on the command line override the file, as in the local runtime's
 * redis.conf.
 */
export function dockerRedisCommand(options: RedisOptions): string[] {
  const command = ['redis-server'];
  if (options.configFile) command.push(containerConfigPath);
  const persistence = options.persistence ?? (options.configFile ? undefined : { rdb: false, aof: false });
  if (persistence)
    command.push('--save', persistence.rdb ? '60 1' : '', '--appendonly', persistence.aof ? 'yes' : 'no');
  for (const [name, value] of Object.entries(options.config ?? {}))
    command.push(`--${name}`, ...String(value).split(/\s+/));
  // the harness owns these, as on the local runtime
  command.push('--port', '6379', '--protected-mode', 'no', '--enable-debug-command', 'yes');
  return command;
}
