// What a started runtime lets faults touch: the current Redis and PostgreSQL, the proxy links, restarts that keep port
// and data dir.
import type { Redis } from 'ioredis';
import type { Proxy } from 'toxiproxy-node-client';
import type { TopologyKind } from './topology/topology-options.ts';
import type { SentinelControl } from './topology/sentinel/sentinel-control.ts';
import type { ClusterControl } from './topology/cluster/cluster-control.ts';

export type LinkName = 'redis' | 'postgres';

/**
 * A server the faults reach. `pid`/`signal` exist only when this harness runs the process (local runtime);
 * `pause`/`resume` when it runs the server's container (docker runtime: the cgroup freezer stops every process in it).
 */
export interface ServerHandle {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly pid?: number;
  signal?(signal: NodeJS.Signals): void;
  /** Resolves to the container's state after the change (docker inspect's State.Status: "paused", "running"). */
  pause?(): Promise<{ containerState: string }>;
  resume?(): Promise<{ containerState: string }>;
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
  /**
   * Where this machine reaches a link's listen port, when not at 127.0.0.1:<listen port> (a container's mapped port).
   */
  linkEndpoint?(on: LinkName): { host: string; port: number };
  /** Kills the process (SIGKILL); the data dir is kept for a restart. */
  kill(on: LinkName): Promise<{ pid: number }>;
  /** Starts the service again on the same port with the same data dir. */
  startAgain(on: LinkName): Promise<{ pid: number }>;
  /** Stops the service politely (Redis: SHUTDOWN SAVE|NOSAVE) and starts it again. */
  restart(on: LinkName, save: boolean): Promise<{ oldPid: number; pid: number; downtimeMs: number }>;
}
