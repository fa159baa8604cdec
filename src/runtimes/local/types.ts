// The options and started handles of the local runtime: only a started thing has ports, and every one is
// AsyncDisposable.
import type { Redis } from 'ioredis';
import type { TargetProcessOptions } from '../../targets/target-process-options.ts';

export type { TargetProcessOptions };

export interface RedisOptions {
  /** redis.conf directives, e.g. `{ maxmemory: '32mb', 'maxmemory-policy': 'allkeys-lru' }`. */
  config?: Record<string, string | number>;
  /** A redis.conf file; its directives come first, `config` overrides them. */
  configFile?: string;
  /** Persistence is off by default; switch it on for data-loss experiments. */
  persistence?: { rdb?: boolean; aof?: boolean };
  /** A fixed port (used by restart); default: a free ephemeral port. */
  port?: number;
  /** An existing data directory (used by restart); default: a fresh temp dir. */
  dir?: string;
  startTimeoutMs?: number;
}

export interface StartedRedis extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number;
  /** The server's temp dir: redis.conf, log, RDB/AOF files. */
  readonly dir: string;
  readonly logFile: string;
  /** An admin connection straight to the server (never through a proxy). */
  readonly admin: Redis;
  readonly options: RedisOptions;
  /** True once the process has exited (killed, crashed or stopped). */
  readonly exited: boolean;
  /** SHUTDOWN NOSAVE, SIGKILL after a grace period, temp dir removed unless `keepDir`. Idempotent. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
  /** Send a signal to the server process (SIGSTOP/SIGCONT for freezes, SIGKILL for crashes). */
  signal(signal: NodeJS.Signals): void;
  /** Waits until the process has exited. */
  waitForExit(): Promise<void>;
  /** The last lines of the server log. */
  logTail(lines?: number): Promise<string>;
}

export interface PostgresOptions {
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>;
  port?: number;
  /** An existing data directory (used by restart); default: a copy of the cached template. */
  dir?: string;
  /** The postgres role's password (a restart passes the one it had); default: random, new for every start. */
  password?: string;
  startTimeoutMs?: number;
}

export interface StartedPostgres extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** The postgres role's password for this run (scram-sha-256 over TCP; no login without it). */
  readonly password: string;
  readonly pid: number;
  readonly dir: string;
  readonly options: PostgresOptions;
  readonly exited: boolean;
  /** SIGINT (fast shutdown), SIGKILL after a grace period, temp dir removed unless `keepDir`. Idempotent. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
  signal(signal: NodeJS.Signals): void;
  waitForExit(): Promise<void>;
  logTail(lines?: number): Promise<string>;
}

export interface StartedTargetProcess extends AsyncDisposable {
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number;
  readonly exited: boolean;
  /** SIGTERM, SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
  /** The last lines of the target's stdout and stderr. */
  logTail(lines?: number): string;
}
