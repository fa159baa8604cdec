// The redis-servers of a local cluster and their lifecycle: started with the cluster directives, killed, started again
// on the same port and dir (nodes.conf kept), stopped with their dirs removed.
import { rm } from 'node:fs/promises';
import type { Proxy } from 'toxiproxy-node-client';
import { startRedis } from '../../local/index.ts';
import { rawRedisCommand } from '../../local/redis-ping.ts';
import type { RedisOptions, StartedRedis } from '../../local/types.ts';
import type { ClusterNode } from './cluster-control.ts';

/**
 * Directives every node gets (a redis.config may override the timing ones): a 500 ms node timeout makes a failover
 * take about 1–2 s; replicas always may take over and stay in their shard.
 */
const clusterDefaults: Record<string, string | number> = {
  'cluster-node-timeout': 500,
  'cluster-replica-validity-factor': 0,
  'cluster-allow-replica-migration': 'no',
};

export class Node implements ClusterNode {
  readonly index: number;
  readonly shard: number;
  id = '';
  readonly port: number;
  link!: Proxy;
  down = false;
  current: StartedRedis;
  readonly dir: string;
  constructor(index: number, shard: number, server: StartedRedis) {
    this.index = index;
    this.shard = shard;
    this.current = server;
    this.port = server.port;
    this.dir = server.dir;
  }
  server(): StartedRedis {
    return this.current;
  }
}

export class ClusterProcesses {
  readonly nodes: Node[] = [];
  readonly #options: RedisOptions;

  constructor(options: RedisOptions) {
    this.#options = {
      ...options,
      config: { ...clusterDefaults, ...options.config, 'cluster-enabled': 'yes', 'cluster-config-file': 'nodes.conf' },
    };
  }

  /** shards × (1 + replicas) servers; nodes 0 … shards − 1 are to be the primaries, the rest go round the shards. */
  async start(shards: number, replicas: number): Promise<void> {
    const shardOf = (index: number) => (index < shards ? index : (index - shards) % shards);
    const started = await Promise.allSettled(
      Array.from({ length: shards * (1 + replicas) }, () => startRedis(this.#options)),
    );
    for (const [index, result] of started.entries())
      if (result.status === 'fulfilled') this.nodes.push(new Node(index, shardOf(index), result.value));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** SIGKILL; the node's dir (data, nodes.conf) is kept. */
  async kill(node: Node): Promise<{ pid: number }> {
    const server = node.current;
    server.signal('SIGKILL');
    await server.waitForExit();
    await server.stop({ keepDir: true });
    node.down = true;
    return { pid: server.pid };
  }

  /** Starts a killed node again on its port and dir; a running one is left alone. */
  async startAgain(node: Node): Promise<{ pid: number }> {
    if (!node.down) return { pid: node.current.pid };
    node.current = await startRedis({ ...this.#options, port: node.port, dir: node.dir });
    node.down = false;
    return { pid: node.current.pid };
  }

  /** Stops a running node (SHUTDOWN SAVE first when `save`) and starts it again on its port and dir. */
  async restart(node: Node, save: boolean): Promise<{ oldPid: number; pid: number; downtimeMs: number }> {
    const old = node.current;
    const down = performance.now();
    if (save) await rawRedisCommand(old.port, 'SHUTDOWN SAVE', 10_000).catch(() => undefined);
    await old.stop({ keepDir: true });
    node.current = await startRedis({ ...this.#options, port: node.port, dir: node.dir });
    return { oldPid: old.pid, pid: node.current.pid, downtimeMs: Math.round(performance.now() - down) };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        await node.current.stop();
        await rm(node.dir, { recursive: true, force: true });
      }),
    );
  }
}
