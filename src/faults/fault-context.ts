// What a fault may touch: the current Redis and PostgreSQL, the proxy links, and restarts that keep port and data dir.
import type { Redis } from 'ioredis';
import type { Proxy } from 'toxiproxy-node-client';
import type { FaultKind, FaultSpecOf } from './fault-schema.ts';
import type { TopologyKind } from '../topology/topology-options.ts';
import type { SentinelControl } from '../topology/sentinel/sentinel-control.ts';
import type { ClusterControl } from '../topology/cluster/cluster-control.ts';

export type LinkName = 'redis' | 'postgres';

/** A server the faults reach. `pid`/`signal` exist only when this harness runs the process (local runtime). */
export interface ServerHandle {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly pid?: number;
  signal?(signal: NodeJS.Signals): void;
}

/** Redis with an admin connection straight to the server (never through the proxy). */
export interface RedisHandle extends ServerHandle {
  readonly admin: Redis;
}

export interface FaultContext {
  /** The Redis server as it is now (a restart replaces it). */
  redis(): RedisHandle;
  postgres(): ServerHandle | undefined;
  /** The Redis topology (absent: single). */
  readonly topology?: TopologyKind;
  /** Sentinel controls; only in a sentinel topology. */
  readonly sentinel?: SentinelControl;
  /** Cluster controls; only in a cluster topology. */
  readonly cluster?: ClusterControl;
  /** The fault-proxy link in front of a service. */
  link(on: LinkName): Proxy;
  /** Where this machine reaches a link's listen port, when not at 127.0.0.1:<listen port> (a container's mapped port). */
  linkEndpoint?(on: LinkName): { host: string; port: number };
  /** Kills the process (SIGKILL); the data dir is kept for a restart. */
  kill(on: LinkName): Promise<{ pid: number }>;
  /** Starts the service again on the same port with the same data dir. */
  startAgain(on: LinkName): Promise<{ pid: number }>;
  /** Stops the service politely (Redis: SHUTDOWN SAVE|NOSAVE) and starts it again. */
  restart(on: LinkName, save: boolean): Promise<{ oldPid: number; pid: number; downtimeMs: number }>;
}

export type Evidence = Record<string, unknown>;

export interface InjectedFault {
  evidence: Evidence;
  /** Undoes the fault and returns what shows it was undone; absent for one-shot faults (FLUSHALL cannot be undone). */
  revert?: () => Promise<Evidence>;
}

export interface FaultImplementation<K extends FaultKind> {
  kind: K;
  group: 'network' | 'redis' | 'process';
  description: string;
  /** What it will send, in order, for --dry-run. */
  plan(spec: FaultSpecOf<K>, durationMs: number): string[];
  inject(ctx: FaultContext, spec: FaultSpecOf<K>, durationMs: number): Promise<InjectedFault>;
}

/** Races a promise against a timeout; the value or `undefined` when it took too long. */
export async function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}
