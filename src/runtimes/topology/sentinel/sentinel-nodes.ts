// The processes of a sentinel topology and their lifecycle: ports held until each start, data dirs, the redis-servers
// (started, killed, started again on the same port and dir) and the sentinels, and a stop that leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Proxy } from 'toxiproxy-node-client';
import type { ProxyLinks } from '../../proxy-links.ts';
import { linkPort } from '../../proxy-links.ts';
import { releasePort, startRedis } from '../../local/index.ts';
import { quoteConfValue } from '../../local/render-redis-conf.ts';
import type { RedisOptions, StartedRedis } from '../../local/types.ts';
import { unwatchDirectory, watchDirectory } from '../../local/watchdog.ts';
import type { NodeReplication, SentinelNode } from './sentinel-control.ts';
import { renderSentinelConf, type SentinelConfInput } from './sentinel-conf.ts';
import { holdPort, type HeldPort } from './held-port.ts';
import { startSentinelProcess, type StartedSentinel } from './sentinel-process.ts';

export interface NodeState extends SentinelNode {
  readonly port: number;
  /** Bound until the first start. */
  readonly hold: HeldPort;
  readonly dir: string;
  current?: StartedRedis;
}

/** A sentinel before it starts: its port (held), proxy link, fixed myid and dir. */
export interface SentinelSpec {
  readonly name: string;
  readonly port: number;
  readonly hold: HeldPort;
  readonly link: Proxy;
  readonly proxyPort: number;
  readonly myid: string;
  readonly dir: string;
}

/** What every sentinel's conf shares; ports, myids and peers come from the specs. */
export type SentinelMonitor = Pick<SentinelConfInput, 'masterName' | 'quorum' | 'downAfterMs' | 'failoverTimeoutMs'>;

export class SentinelNodes {
  readonly nodes: NodeState[] = [];
  readonly specs: SentinelSpec[] = [];
  readonly sentinels: StartedSentinel[] = [];
  readonly #options: RedisOptions;
  readonly #ports: number[] = [];
  readonly #held: HeldPort[] = [];
  readonly #dirs: string[] = [];
  #stopping: Promise<void> | undefined;

  constructor(options: RedisOptions) {
    this.#options = options;
  }

  /** Holds a port, makes a proxy link and a dir for each redis-server (redis-0 … redis-N) and each sentinel. */
  async allocate(proxy: ProxyLinks, nodeCount: number, sentinelCount: number): Promise<void> {
    for (let i = 0; i < nodeCount; i++) {
      const hold = await this.#holdPort();
      const link = await proxy.add(`redis-${i}`, `127.0.0.1:${hold.port}`, { resp: 'track' });
      const node: NodeState = {
        index: i,
        name: `redis-${i}`,
        port: hold.port,
        hold,
        dir: await this.#newDir('cachequake-redis-'),
        link,
        proxyPort: linkPort(link),
        server() {
          if (!node.current) throw new Error(`${node.name} was never started`);
          return node.current;
        },
        running: () => node.current !== undefined && !node.current.exited,
      };
      this.nodes.push(node);
    }
    for (let i = 0; i < sentinelCount; i++) {
      const hold = await this.#holdPort();
      const link = await proxy.add(`sentinel-${i}`, `127.0.0.1:${hold.port}`);
      this.specs.push({
        name: `sentinel-${i}`,
        port: hold.port,
        hold,
        link,
        proxyPort: linkPort(link),
        myid: randomBytes(20).toString('hex'),
        dir: await this.#newDir('cachequake-sentinel-'),
      });
    }
  }

  byProxyPort(port: number): NodeState | undefined {
    return this.nodes.find((n) => n.proxyPort === port);
  }

  /**
   * Starts a node's redis-server; a replica of `primary` when given. The topology lines come from a conf file that
   * includes the user's.
   */
  async startNode(node: NodeState, primary: SentinelNode | undefined): Promise<StartedRedis> {
    const options = this.#options;
    const lines = [
      '# the sentinel topology: how this node is announced and whom it replicates',
      ...(options.configFile ? [`include ${quoteConfValue(resolve(options.configFile))}`] : []),
      'replica-announce-ip 127.0.0.1',
      `replica-announce-port ${node.proxyPort}`,
      // replication goes through the primary's proxy link too, so a link fault partitions the node from its replicas
      ...(primary ? [`replicaof 127.0.0.1 ${primary.proxyPort}`] : []),
    ];
    const file = join(node.dir, 'topology.conf');
    await writeFile(file, `${lines.join('\n')}\n`);
    await node.hold.release();
    const persistence = options.persistence ?? (options.configFile ? undefined : { rdb: false, aof: false });
    const server = await startRedis({ ...options, configFile: file, persistence, port: node.port, dir: node.dir });
    node.current = server;
    return server;
  }

  /** SIGKILL; the data dir is kept for a later start. */
  async kill(node: NodeState): Promise<{ pid: number }> {
    const server = node.server();
    server.signal('SIGKILL');
    await server.waitForExit();
    await server.stop({ keepDir: true });
    return { pid: server.pid };
  }

  /** INFO replication of a node, straight (not through its link); undefined when it does not answer within 500 ms. */
  async replication(node: SentinelNode): Promise<NodeReplication | undefined> {
    const server = node.server();
    if (server.exited) return undefined;
    const info = await Promise.race([
      server.admin.info('replication').catch(() => ''),
      new Promise<string>((r) => setTimeout(() => r(''), 500).unref()),
    ]);
    const role = /role:(\w+)/.exec(info)?.[1];
    if (!role) return undefined;
    const masterPort = /master_port:(\d+)/.exec(info)?.[1];
    const linkStatus = /master_link_status:(\w+)/.exec(info)?.[1];
    return { role, ...(masterPort ? { masterPort: Number(masterPort) } : {}), ...(linkStatus ? { linkStatus } : {}) };
  }

  /** Starts every sentinel monitoring `primary`, knowing the other nodes as its replicas and each other as peers. */
  async startSentinels(monitor: SentinelMonitor, primary: SentinelNode): Promise<void> {
    const started = await Promise.allSettled(
      this.specs.map(async (spec) => {
        const conf = renderSentinelConf({
          ...monitor,
          port: spec.port,
          dir: spec.dir,
          myid: spec.myid,
          announcePort: spec.proxyPort,
          primaryPort: primary.proxyPort,
          replicaPorts: this.nodes.filter((n) => n !== primary).map((n) => n.proxyPort),
          peers: this.specs.filter((p) => p !== spec).map((p) => ({ port: p.proxyPort, myid: p.myid })),
        });
        await spec.hold.release();
        return startSentinelProcess(spec.port, spec.dir, conf);
      }),
    );
    for (const s of started) if (s.status === 'fulfilled') this.sentinels.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  }

  /** Sentinels first, so none starts a failover while the servers go down; then the dirs and ports. Idempotent. */
  stop(): Promise<void> {
    return (this.#stopping ??= (async () => {
      await Promise.allSettled(this.sentinels.map((s) => s.stop()));
      await Promise.allSettled(this.nodes.map((n) => n.current?.stop({ keepDir: true })));
      for (const dir of this.#dirs) {
        await rm(dir, { recursive: true, force: true });
        unwatchDirectory(dir);
      }
      await Promise.all(this.#held.map((h) => h.release()));
      for (const port of this.#ports) releasePort(port);
    })());
  }

  async #newDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.#dirs.push(dir);
    watchDirectory(dir);
    return dir;
  }

  async #holdPort(): Promise<HeldPort> {
    const hold = await holdPort();
    this.#held.push(hold);
    this.#ports.push(hold.port);
    return hold;
  }
}
