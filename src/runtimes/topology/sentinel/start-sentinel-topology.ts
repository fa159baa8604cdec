// A primary, its replicas and the sentinels that watch them, each redis-server and each sentinel behind its own proxy
// link.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Proxy } from 'toxiproxy-node-client';
import { environmentError } from '../../../errors/index.ts';
import type { ProxyLinks } from '../../proxy-links.ts';
import { linkPort } from '../../proxy-links.ts';
import { releasePort, startRedis } from '../../local/index.ts';
import { quoteConfValue } from '../../local/render-redis-conf.ts';
import { rawRedisCommand } from '../../local/redis-ping.ts';
import type { RedisOptions, StartedRedis } from '../../local/types.ts';
import { waitUntil } from '../../local/wait-until.ts';
import { unwatchDirectory, watchDirectory } from '../../local/watchdog.ts';
import type { ProbeClientOptions, StartedRedisTopology } from '../started-topology.ts';
import type { RedisTopology } from '../topology-options.ts';
import type { NodeReplication, SentinelControl, SentinelInstance, SentinelNode } from './sentinel-control.ts';
import { renderSentinelConf } from './sentinel-conf.ts';
import { SentinelEventLog } from './sentinel-events.ts';
import { holdPort, type HeldPort } from './held-port.ts';
import { startSentinelProcess, type StartedSentinel } from './sentinel-process.ts';

/**
 * How long a moved primary waits for its +switch-master before the switch counts without it (a reconnected subscriber).
 */
const switchEventGraceMs = 5000;
import { sentinelReadiness } from './sentinel-readiness.ts';

type SentinelTopology = Extract<RedisTopology, { kind: 'sentinel' }>;

interface NodeState extends SentinelNode {
  readonly port: number;
  /** Bound until the first start. */
  readonly hold: HeldPort;
  readonly dir: string;
  current?: StartedRedis;
}

/**
 * Long enough for a promotion to be seen (Sentinel asks replicas for INFO every second during a failover), short enough
 * that a second failover of the same run is not refused for minutes.
 */
const failoverTimeoutMs = 5000;

export async function startSentinelTopology(
  options: RedisOptions,
  topology: SentinelTopology,
  proxy: ProxyLinks,
): Promise<StartedRedisTopology> {
  const began = performance.now();
  const name = topology.masterName;
  const quorum = Math.floor(topology.sentinels / 2) + 1;
  const ports: number[] = [];
  const dirs: string[] = [];
  const nodes: NodeState[] = [];
  const sentinels: StartedSentinel[] = [];
  const events = new SentinelEventLog();
  let primaryIndex = 0;
  let stopping: Promise<void> | undefined;

  const stop = () =>
    (stopping ??= (async () => {
      events.close();
      // sentinels first: none may start a failover while the servers go down
      await Promise.allSettled(sentinels.map((s) => s.stop()));
      await Promise.allSettled(nodes.map((n) => n.current?.stop({ keepDir: true })));
      for (const dir of dirs) {
        await rm(dir, { recursive: true, force: true });
        unwatchDirectory(dir);
      }
      await Promise.all(held.map((h) => h.release()));
      for (const port of ports) releasePort(port);
    })());

  const newDir = async (prefix: string) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    watchDirectory(dir);
    return dir;
  };
  const held: HeldPort[] = [];
  const pickPort = async () => {
    const hold = await holdPort();
    held.push(hold);
    ports.push(hold.port);
    return hold;
  };

  const nodeByProxyPort = (port: number) => nodes.find((n) => n.proxyPort === port);
  const primaryNode = (): NodeState => nodes[primaryIndex] as NodeState;

  /**
   * Starts a node's redis-server; a replica of `primary` when given. The topology lines come from a conf file that
   * includes the user's.
   */
  async function startNode(node: NodeState, primary: NodeState | undefined): Promise<StartedRedis> {
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

  async function replication(node: SentinelNode): Promise<NodeReplication | undefined> {
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

  async function askPrimary(): Promise<NodeState | undefined> {
    for (const sentinel of sentinels) {
      if (sentinel.exited) continue;
      const reply = await Promise.race([
        sentinel.admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).catch(() => undefined),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 500).unref()),
      ]);
      if (Array.isArray(reply) && reply.length === 2) return nodeByProxyPort(Number(reply[1]));
    }
    return undefined;
  }

  const readiness = sentinelReadiness(
    name,
    () => sentinels,
    () => nodes,
  );

  async function startAgain(node: NodeState, opts: { waitForSentinels?: boolean; timeoutMs?: number } = {}) {
    const t0 = performance.now();
    if (node.current && !node.current.exited)
      throw new Error(`${node.name} is still running (pid ${node.current.pid})`);
    const announced = await askPrimary();
    if (announced && announced !== primaryNode()) primaryIndex = announced.index;
    const primary = primaryNode();
    const of = primary === node ? undefined : primary;
    const server = await startNode(node, of);
    if (of && opts.waitForSentinels) {
      const ready = await waitUntil(() => readiness.replicaHealthy(node, of), {
        timeoutMs: opts.timeoutMs ?? 10_000,
        intervalMs: 20,
      });
      if (!ready.ok)
        throw environmentError(
          'CQ_SENTINEL_REPLICA_NOT_READY',
          `${node.name} started again as a replica of ${of.name} but is not a healthy, synced replica for every sentinel after ${opts.timeoutMs ?? 10_000} ms: ${readiness.lastProblem() ?? ready.reason}.`,
          { hint: `Its log:\n${await server.logTail(15)}` },
        );
    }
    return {
      pid: server.pid,
      role: of ? ('replica' as const) : ('primary' as const),
      ...(of ? { of } : {}),
      readyMs: Math.round(performance.now() - t0),
    };
  }

  async function kill(node: NodeState): Promise<{ pid: number }> {
    const server = node.server();
    server.signal('SIGKILL');
    await server.waitForExit();
    await server.stop({ keepDir: true });
    return { pid: server.pid };
  }

  try {
    const nodeCount = 1 + topology.replicas;
    for (let i = 0; i < nodeCount; i++) {
      const hold = await pickPort();
      const port = hold.port;
      const link = await proxy.add(`redis-${i}`, `127.0.0.1:${port}`, { resp: 'track' });
      const dir = await newDir('cachequake-redis-');
      const node: NodeState = {
        index: i,
        name: `redis-${i}`,
        port,
        hold,
        dir,
        link,
        proxyPort: linkPort(link),
        server() {
          if (!node.current) throw new Error(`${node.name} was never started`);
          return node.current;
        },
        running: () => node.current !== undefined && !node.current.exited,
      };
      nodes.push(node);
    }
    const sentinelSpecs: {
      name: string;
      port: number;
      hold: HeldPort;
      link: Proxy;
      proxyPort: number;
      myid: string;
      dir: string;
    }[] = [];
    for (let i = 0; i < topology.sentinels; i++) {
      const hold = await pickPort();
      const port = hold.port;
      const link = await proxy.add(`sentinel-${i}`, `127.0.0.1:${port}`);
      sentinelSpecs.push({
        name: `sentinel-${i}`,
        port,
        hold,
        link,
        proxyPort: linkPort(link),
        myid: randomBytes(20).toString('hex'),
        dir: await newDir('cachequake-sentinel-'),
      });
    }

    const first = primaryNode();
    await startNode(first, undefined);
    await Promise.all(nodes.slice(1).map((n) => startNode(n, first)));
    const synced = await waitUntil(readiness.replicasSynced, { timeoutMs: 10_000, intervalMs: 10 });
    if (!synced.ok)
      throw environmentError(
        'CQ_SENTINEL_SYNC',
        `the replicas did not finish their first sync with ${first.name}: ${synced.reason}.`,
        {
          hint: "Look at the replicas' logs; a redis.config that blocks replication (requirepass without masterauth, …) prevents it.",
        },
      );

    const started = await Promise.allSettled(
      sentinelSpecs.map(async (spec) => {
        const conf = renderSentinelConf({
          port: spec.port,
          dir: spec.dir,
          myid: spec.myid,
          announcePort: spec.proxyPort,
          masterName: name,
          primaryPort: first.proxyPort,
          replicaPorts: nodes.slice(1).map((n) => n.proxyPort),
          peers: sentinelSpecs.filter((p) => p !== spec).map((p) => ({ port: p.proxyPort, myid: p.myid })),
          quorum,
          downAfterMs: topology.downAfterMs,
          failoverTimeoutMs,
        });
        await spec.hold.release();
        return startSentinelProcess(spec.port, spec.dir, conf);
      }),
    );
    for (const s of started) if (s.status === 'fulfilled') sentinels.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    await Promise.all(sentinelSpecs.map((spec) => events.watch(spec.name, spec.port)));
    events.listen((event) => {
      if (event.event !== '+switch-master') return;
      // +switch-master <name> <old ip> <old port> <new ip> <new port>
      const parts = event.detail.split(' ');
      const to = parts[0] === name ? nodeByProxyPort(Number(parts[4])) : undefined;
      if (to) primaryIndex = to.index;
    });
    const ready = await waitUntil(readiness.sentinelsReady, { timeoutMs: 10_000, intervalMs: 20 });
    if (!ready.ok) {
      throw environmentError(
        'CQ_SENTINEL_NOT_READY',
        `the sentinels did not all see ${nodes.length - 1} healthy replica(s) and ${sentinels.length - 1} peer(s) within 10 s: ${readiness.lastProblem() ?? ready.reason}.`,
        {
          hint: `Last lines of ${sentinelSpecs[0]?.dir}/sentinel.log:\n${await sentinels[0]?.logTail(15)}`,
        },
      );
    }
    const startedInMs = Math.round(performance.now() - began);

    const sentinelList: SentinelInstance[] = sentinelSpecs.map((spec, i) => ({
      name: spec.name,
      port: spec.port,
      proxyPort: spec.proxyPort,
      pid: sentinels[i]?.pid ?? 0,
    }));
    const control: SentinelControl = {
      masterName: name,
      quorum,
      downAfterMs: topology.downAfterMs,
      startedInMs,
      nodes: () => nodes,
      primaryNode,
      sentinels: () => sentinelList,
      askPrimary,
      events: (since) => events.since(since),
      async failover() {
        let lastError: unknown;
        for (const sentinel of sentinels) {
          try {
            return String(await sentinel.admin.call('SENTINEL', 'FAILOVER', name));
          } catch (error) {
            lastError = error;
          }
        }
        throw environmentError(
          'CQ_SENTINEL_FAILOVER_REFUSED',
          `no sentinel accepted SENTINEL FAILOVER ${name}: ${lastError instanceof Error ? lastError.message : String(lastError)}.`,
          {
            hint: 'A failover needs a healthy replica (in sync, not just restarted) and no failover in progress; space failover faults a few seconds apart.',
          },
        );
      },
      async waitForSwitch(from, timeoutMs) {
        const deadline = performance.now() + timeoutMs;
        let switchedAt: number | undefined;
        const unlisten = events.listen((event) => {
          if (event.event === '+switch-master' && switchedAt === undefined) switchedAt = event.at;
        });
        try {
          let nextAsk = performance.now() + 250;
          let movedAt: number | undefined;
          while (performance.now() < deadline) {
            if (primaryNode() !== from) {
              // GET-MASTER-ADDR-BY-NAME names the promoted replica already while the failover reconfigures the other
              // replicas; the failover is over at +switch-master. Wait for it, unless the subscriber missed it.
              movedAt ??= performance.now();
              if (switchedAt !== undefined || performance.now() - movedAt > switchEventGraceMs)
                return { to: primaryNode(), at: switchedAt ?? movedAt };
            }
            if (performance.now() >= nextAsk) {
              // the event stream is the fast path; asking covers a subscriber that reconnected in the middle
              nextAsk = performance.now() + 250;
              const announced = await askPrimary();
              if (announced && announced !== from) primaryIndex = announced.index;
            }
            await new Promise((r) => setTimeout(r, 10));
          }
          return undefined;
        } finally {
          unlisten();
        }
      },
      kill: (node) => kill(node as NodeState),
      start: (node, opts) => startAgain(node as NodeState, opts),
      replication,
    };

    let lastKilled: NodeState | undefined;
    const result: StartedRedisTopology = {
      kind: 'sentinel',
      primary: () => primaryNode().server(),
      redisLink: () => primaryNode().link,
      endpoint: {
        host: '127.0.0.1',
        port: first.proxyPort,
        url: `redis://127.0.0.1:${first.proxyPort}`,
        topology: 'sentinel',
        sentinels: sentinelSpecs.map((s) => `127.0.0.1:${s.proxyPort}`).join(','),
        sentinelName: name,
        nodes: nodes.map((n) => `127.0.0.1:${n.proxyPort}`).join(','),
      },
      servers: () => nodes.filter((n) => n.running()).map((n) => n.server()),
      createClient: (opts) =>
        sentinelClient(
          sentinelSpecs.map((s) => ({ host: '127.0.0.1', port: s.proxyPort })),
          name,
          opts,
        ),
      async kill() {
        lastKilled = primaryNode();
        return kill(lastKilled);
      },
      async startAgain() {
        const node = lastKilled ?? primaryNode();
        lastKilled = undefined;
        return { pid: (await startAgain(node)).pid };
      },
      async restart(save) {
        const node = primaryNode();
        const old = node.server();
        const down = performance.now();
        if (save) await rawRedisCommand(old.port, 'SHUTDOWN SAVE', 10_000).catch(() => undefined);
        await old.stop({ keepDir: true });
        const { pid } = await startAgain(node);
        return { oldPid: old.pid, pid, downtimeMs: Math.round(performance.now() - down) };
      },
      sentinel: control,
      stop,
    };
    return result;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * An ioredis client that finds the primary through the proxied sentinels and follows +switch-master, the way a
 * well-built service does.
 */
export function sentinelClient(
  sentinels: { host: string; port: number }[],
  name: string,
  opts: ProbeClientOptions,
): Redis {
  return new Redis({
    sentinels,
    name,
    failoverDetector: true,
    sentinelCommandTimeout: opts.commandTimeoutMs,
    sentinelRetryStrategy: (times) => Math.min(50 * times, 500),
    sentinelReconnectStrategy: (times) => Math.min(50 * times, 500),
    commandTimeout: opts.commandTimeoutMs,
    connectTimeout: opts.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(50 * times, 500),
    // a demoted primary answers writes with -READONLY: reconnect, which asks the sentinels again (the write fails)
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 1 : false),
    lazyConnect: true,
  });
}
