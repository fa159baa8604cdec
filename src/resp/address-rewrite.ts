// Cluster address rewriting: upstream host:port in CLUSTER SLOTS/SHARDS/NODES replies and MOVED/ASK errors become the
// listen address of the proxy in front of it.
import {
  integerOf,
  pairsOf,
  parseRespValue,
  RespShapeError,
  stringOf,
  writeRespValue,
  type RespValue,
} from './resp-value.ts';

/** What the rewriting needs to know of a proxy on the same proxy server. */
export interface PeerProxy {
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
}

/** CLUSTER subcommands whose replies carry node addresses. */
export const clusterAddressCommands = new Set(['SLOTS', 'SHARDS', 'NODES', 'REPLICAS', 'SLAVES']);

interface Address {
  host: string;
  port: number;
}

/** `localhost`, `[::1]`, `::ffff:127.0.0.1` and `127.0.0.1` compare equal; hosts compare case-insensitively. */
export function normalHost(host: string): string {
  let h = host.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.startsWith('::ffff:') && h.includes('.')) h = h.slice(7);
  if (h === 'localhost' || h === '::1') return '127.0.0.1';
  return h;
}

function splitAddress(text: string): Address | undefined {
  const at = text.lastIndexOf(':');
  if (at < 0) return undefined;
  const port = Number(text.slice(at + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { host: text.slice(0, at), port };
}

function joinAddress(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

const wildcards = new Set(['', '::', '0.0.0.0', '[::]']);

/**
 * Upstream address → the listen address clients must use, for one connection (its local address fills in wildcard
 * listens).
 */
export class AddressBook {
  private readonly byUpstream = new Map<string, Address>();
  /** Where this connection's own proxy dials: an empty host in a redirect means that host. */
  readonly ownUpstreamHost: string;
  /** Addresses replaced, and addresses with no proxy in front of them, in the replies rewritten with this book. */
  replaced = 0;
  unmatched = 0;

  constructor(peers: Iterable<PeerProxy>, ownUpstream: string, localAddress: string | undefined) {
    for (const peer of peers) {
      if (!peer.enabled) continue;
      const upstream = splitAddress(peer.upstream);
      const listen = splitAddress(peer.listen);
      if (!upstream || !listen) continue;
      const host = wildcards.has(listen.host) ? normalHost(localAddress ?? '127.0.0.1') : normalHost(listen.host);
      this.byUpstream.set(`${normalHost(upstream.host)}:${upstream.port}`, { host, port: listen.port });
    }
    this.ownUpstreamHost = splitAddress(ownUpstream)?.host ?? '';
  }

  /** The proxied address for an upstream one, counting the lookup. An empty host is the own proxy's upstream host. */
  lookup(host: string, port: number): Address | undefined {
    const found = this.byUpstream.get(`${normalHost(host === '' ? this.ownUpstreamHost : host)}:${port}`);
    if (found) this.replaced++;
    else this.unmatched++;
    return found;
  }
}

/** `-MOVED 3999 127.0.0.1:7002` / `-ASK …` with the address replaced; any other error comes back as it is. */
export function rewriteRedirect(frame: Buffer, book: AddressBook): Buffer {
  if (frame.length < 8 || frame[0] !== 0x2d) return frame;
  const text = frame.toString('latin1');
  const match = /^-(MOVED|ASK) (\d+) (\S*)\r\n$/.exec(text);
  if (!match) return frame;
  const address = splitAddress(match[3] as string);
  if (!address) return frame;
  const proxied = book.lookup(address.host, address.port);
  if (!proxied) return frame;
  return Buffer.from(`-${match[1]} ${match[2]} ${joinAddress(proxied)}\r\n`, 'latin1');
}

/**
 * A CLUSTER SLOTS/SHARDS/NODES/REPLICAS reply with node addresses replaced; unparsable or unexpected shapes pass
 * unchanged.
 */
export function rewriteClusterReply(subcommand: string, reply: Buffer, book: AddressBook): Buffer {
  const first = reply[0];
  if (first === 0x2d || first === 0x21) return reply; // an error reply
  let value: RespValue;
  try {
    value = parseRespValue(reply);
  } catch (error) {
    if (error instanceof RespShapeError) return reply;
    throw error;
  }
  const before = book.replaced;
  switch (subcommand) {
    case 'SLOTS':
      rewriteSlots(value, book);
      break;
    case 'SHARDS':
      rewriteShards(value, book);
      break;
    case 'NODES':
      rewriteNodesText(value, book);
      break;
    default: // REPLICAS, SLAVES: an array of CLUSTER NODES lines
      for (const item of value.items ?? []) rewriteNodesText(item, book);
  }
  return book.replaced === before ? reply : writeRespValue(value);
}

function setString(value: RespValue, text: string): void {
  if (value.data !== undefined) value.data = Buffer.from(text, 'latin1');
  else value.line = text;
}

/** [[start, end, [ip, port, id, meta], …], …] */
function rewriteSlots(value: RespValue, book: AddressBook): void {
  for (const range of value.items ?? []) {
    const nodes = range.items ?? [];
    for (let i = 2; i < nodes.length; i++) {
      const node = nodes[i]?.items;
      if (!node) continue;
      const ip = node[0];
      const port = node[1];
      const host = stringOf(ip);
      const portNumber = integerOf(port);
      if (!ip || !port || host === undefined || host === '?' || portNumber === undefined) continue;
      const proxied = book.lookup(host, portNumber);
      if (!proxied) continue;
      setString(ip, proxied.host);
      port.line = String(proxied.port);
      // A hostname-preferring cluster lists the ip again in the node's metadata.
      for (const pair of pairsOf(node[3]) ?? [])
        if (pair.key === 'ip' && stringOf(pair.value) === host) setString(pair.value, proxied.host);
    }
  }
}

/** [{slots: […], nodes: [{id, port, ip, endpoint, hostname, role, …}, …]}, …] (maps in RESP3, flat arrays in RESP2). */
function rewriteShards(value: RespValue, book: AddressBook): void {
  for (const shard of value.items ?? []) {
    const nodes = pairsOf(shard)?.find((pair) => pair.key === 'nodes')?.value;
    for (const node of nodes?.items ?? []) {
      const fields = pairsOf(node);
      if (!fields) continue;
      const field = (key: string) => fields.find((pair) => pair.key === key)?.value;
      const port = field('port');
      const portNumber = integerOf(port);
      const ip = stringOf(field('ip'));
      const endpoint = stringOf(field('endpoint'));
      const host = ip ?? endpoint;
      if (!port || portNumber === undefined || host === undefined || host === '?') continue;
      const proxied = book.lookup(host, portNumber);
      if (!proxied) continue;
      port.line = String(proxied.port);
      for (const key of ['ip', 'endpoint']) {
        const target = field(key);
        if (target && stringOf(target) === host) setString(target, proxied.host);
      }
    }
  }
}

/**
 * `<id> <ip:port@cport[,hostname]> <flags> …` per line; the bus port stays. A verbatim string keeps its `txt:` prefix.
 */
function rewriteNodesText(value: RespValue, book: AddressBook): void {
  if (!value.data) return;
  const verbatim = value.type === '=';
  const text = value.data.toString('latin1');
  const prefix = verbatim ? text.slice(0, 4) : '';
  const lines = text.slice(prefix.length).split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fields = line.split(' ');
    const addressField = fields[1];
    if (fields.length < 3 || addressField === undefined) continue;
    const at = addressField.indexOf('@');
    const hostPort = at < 0 ? addressField : addressField.slice(0, at);
    const address = splitAddress(hostPort);
    if (!address || (address.host === '' && address.port === 0)) continue;
    const proxied = book.lookup(address.host, address.port);
    if (!proxied) continue;
    fields[1] = joinAddress(proxied) + (at < 0 ? '' : addressField.slice(at));
    lines[i] = fields.join(' ');
    changed = true;
  }
  if (changed) value.data = Buffer.from(prefix + lines.join('\n'), 'latin1');
}

/**
 * A proxy's address rewriting: its peers on the same proxy server and what it did so far (shown by GET /redis-rules).
 */
export class AddressRewrite {
  /** Replies changed, addresses replaced, addresses seen with no proxy in front of them. */
  replies = 0;
  addresses = 0;
  unmatched = 0;
  /** Redirect errors rewritten. */
  moved = 0;
  ask = 0;
  private readonly peers: () => Iterable<PeerProxy>;
  private readonly ownUpstream: () => string;

  constructor(peers: () => Iterable<PeerProxy>, ownUpstream: () => string) {
    this.peers = peers;
    this.ownUpstream = ownUpstream;
  }

  /** The book for one reply: the proxies as they are now. */
  book(localAddress: string | undefined): AddressBook {
    return new AddressBook(this.peers(), this.ownUpstream(), localAddress);
  }

  /** Counts what a book did once its reply was rewritten. */
  record(book: AddressBook, changed: boolean, redirect?: Buffer): void {
    if (changed) this.replies++;
    if (changed && redirect) {
      if (redirect[1] === 0x4d)
        this.moved++; // -MOVED
      else this.ask++;
    }
    this.addresses += book.replaced;
    this.unmatched += book.unmatched;
  }

  json(): Record<string, number> {
    return {
      replies: this.replies,
      addresses: this.addresses,
      unmatched: this.unmatched,
      moved: this.moved,
      ask: this.ask,
    };
  }
}
