// What Sentinel faults reach in a started sentinel topology: the nodes by their proxied addresses, the sentinels, their
// events and the failover steps.
import type { Proxy } from 'toxiproxy-node-client';
import type { StartedRedis } from '../../local/types.ts';
import type { SentinelEvent } from './sentinel-events.ts';

export interface SentinelNode {
  readonly index: number;
  /** redis-0, redis-1, … (redis-0 is the first primary); its proxy link is named after it. */
  readonly name: string;
  /** The port Sentinel and clients know this node by: its proxy link's listen port. */
  readonly proxyPort: number;
  readonly link: Proxy;
  /** The process as it is now (a restart replaces it; after a kill, the stopped one). */
  server(): StartedRedis;
  /** False between a kill and the next start. */
  running(): boolean;
}

export interface SentinelInstance {
  /** sentinel-0, sentinel-1, … */
  readonly name: string;
  readonly port: number;
  readonly proxyPort: number;
  readonly pid: number;
}

export interface NodeReplication {
  role: string;
  /** The proxy port of the primary it replicates (replicas only). */
  masterPort?: number;
  /** up or down (replicas only). */
  linkStatus?: string;
}

export interface SentinelControl {
  readonly masterName: string;
  readonly quorum: number;
  readonly downAfterMs: number;
  /** How long the topology took to start, until every sentinel knew every replica and peer. */
  readonly startedInMs: number;
  nodes(): readonly SentinelNode[];
  /** The primary as the sentinels announced it last (+switch-master moves it). */
  primaryNode(): SentinelNode;
  sentinels(): readonly SentinelInstance[];
  /** SENTINEL GET-MASTER-ADDR-BY-NAME from the first sentinel that answers, as a node. */
  askPrimary(): Promise<SentinelNode | undefined>;
  /** Sentinel events (every sentinel, hello messages left out) that arrived at or after `since` (performance.now()). */
  events(since: number): SentinelEvent[];
  /** SENTINEL FAILOVER on the first sentinel that answers; its reply. */
  failover(): Promise<string>;
  /**
   * Waits until a +switch-master away from `from` moved primaryNode(); the new primary and when the switch arrived, or
   * undefined after timeoutMs.
   */
  waitForSwitch(from: SentinelNode, timeoutMs: number): Promise<{ to: SentinelNode; at: number } | undefined>;
  /** SIGKILL of one node; its data dir is kept for a start. */
  kill(node: SentinelNode): Promise<{ pid: number }>;
  /**
   * Starts a killed node again on its port and dir: as a replica of the current primary (unless it is the primary
   * itself, then as a primary). With `waitForSentinels`, returns once it is in sync and every sentinel lists it as a
   * healthy replica.
   */
  start(
    node: SentinelNode,
    opts?: { waitForSentinels?: boolean; timeoutMs?: number },
  ): Promise<{ pid: number; role: 'primary' | 'replica'; of?: SentinelNode; readyMs: number }>;
  /** INFO replication of a node, straight (not through its link); undefined when it does not answer within 500 ms. */
  replication(node: SentinelNode): Promise<NodeReplication | undefined>;
}
