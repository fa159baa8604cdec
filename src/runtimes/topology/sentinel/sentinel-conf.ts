// Renders a sentinel.conf: it monitors the primary at its proxy address, announces its own proxy address and already
// knows its peers.
export interface SentinelConfInput {
  port: number;
  dir: string;
  /** 40 hex characters; fixed so that peers can list it as a known sentinel before it ever says hello. */
  myid: string;
  /** The proxy port other sentinels and clients reach this sentinel at. */
  announcePort: number;
  masterName: string;
  /** The primary's proxy port. */
  primaryPort: number;
  /** Proxy ports of the replicas. */
  replicaPorts: number[];
  /** The other sentinels: proxy port and myid. */
  peers: { port: number; myid: string }[];
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
}

export function renderSentinelConf(input: SentinelConfInput): string {
  const name = input.masterName;
  const lines = [
    '# written by cachequake for one experiment; Sentinel rewrites it on every state change',
    `port ${input.port}`,
    'bind 127.0.0.1',
    `dir "${input.dir}"`,
    'daemonize no',
    `logfile "${input.dir}/sentinel.log"`,
    `sentinel myid ${input.myid}`,
    'sentinel announce-ip 127.0.0.1',
    `sentinel announce-port ${input.announcePort}`,
    `sentinel monitor ${name} 127.0.0.1 ${input.primaryPort} ${input.quorum}`,
    `sentinel down-after-milliseconds ${name} ${input.downAfterMs}`,
    `sentinel failover-timeout ${name} ${input.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${name} 1`,
    ...input.replicaPorts.map((port) => `sentinel known-replica ${name} 127.0.0.1 ${port}`),
    ...input.peers.map((peer) => `sentinel known-sentinel ${name} 127.0.0.1 ${peer.port} ${peer.myid}`),
  ];
  return `${lines.join('\n')}\n`;
}
