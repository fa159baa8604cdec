// Cluster address rewriting in the RESP layer on a real 3-node cluster: a mixed pipeline's replies are rewritten
// byte-identically when the server's replies reach the layer cut at every byte boundary, in RESP2 and RESP3.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterNode } from '../../src/runtimes/topology/cluster/cluster-control.ts';
import { linkPort } from '../../src/runtimes/proxy-links.ts';
import { startClusterFixture, type ClusterFixture } from '../runtimes/topology/fixtures/cluster-fixture.ts';
import { command } from './fixtures/resp-link.ts';
import { waitGone } from '../fixtures/process-alive.ts';

let f: ClusterFixture;
let node0: ClusterNode;
let port0: number;
/** A key served by shard 1 and one served by shard 0 (hash tags pick the slot). */
const otherKey = 'k:{a}'; // slot 15495 → shard 2
const ownKey = 'k:{b}'; // slot 3300 → shard 0

beforeAll(async () => {
  f = await startClusterFixture(3, 0);
  node0 = f.cluster.nodes[0] as ClusterNode;
  port0 = linkPort(node0.link);
  expect(Number(await node0.server().admin.call('CLUSTER', 'KEYSLOT', ownKey))).toBeLessThan(5461);
  expect(Number(await node0.server().admin.call('CLUSTER', 'KEYSLOT', otherKey))).toBeGreaterThan(10921);
  await node0.server().admin.set(ownKey, 'x'.repeat(20_000));
}, 60_000);
afterAll(async () => {
  const pids = f?.topology.servers().map((s) => s.pid) ?? [];
  await f?.stop();
  expect(await waitGone(pids, 5000)).toEqual([]);
});

async function toxic(body: Record<string, unknown> | undefined): Promise<void> {
  const base = `${f.proxy.url}/proxies/${node0.link.name}/toxics`;
  await fetch(`${base}/cut`, { method: 'DELETE' });
  if (body) {
    const response = await fetch(base, {
      method: 'POST',
      body: JSON.stringify({ name: 'cut', stream: 'downstream', toxicity: 1, ...body }),
    });
    expect(response.status).toBe(200);
  }
}

/** Sends the commands on a fresh connection and returns every reply byte up to the final ECHO marker. */
async function exchange(protocol: 2 | 3, commands: Buffer[]): Promise<Buffer> {
  const socket: Socket = connect({ host: '127.0.0.1', port: port0 });
  socket.on('error', () => {});
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  let wanted = '';
  let done: () => void = () => {};
  socket.on('data', (data: Buffer) => {
    chunks.push(data);
    if (Buffer.concat(chunks).toString('latin1').endsWith(wanted)) done();
  });
  const until = (marker: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${marker} within 20 s; got ${Buffer.concat(chunks).length} bytes`)),
        20_000,
      );
      wanted = `$${marker.length}\r\n${marker}\r\n`;
      done = () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks.splice(0)));
      };
    });
  // HELLO's reply carries the connection id: it is read and dropped before the pipeline.
  let ready = until('hello-done');
  socket.write(Buffer.concat([command('HELLO', String(protocol)), command('ECHO', 'hello-done')]));
  await ready;
  ready = until('the-end');
  socket.write(Buffer.concat([...commands, command('ECHO', 'the-end')]));
  const replies = await ready;
  socket.destroy();
  return replies;
}

/**
 * With CLUSTER commands (their replies are queued and rewritten whole) or without (replies stream, errors are held).
 */
const pipelines = {
  'with CLUSTER commands': () => mixedPipeline(),
  'redirects only': () => mixedPipeline().filter((c) => !c.toString('latin1').toUpperCase().includes('CLUSTER')),
};

const mixedPipeline = () => [
  command('GET', otherKey), // -MOVED 15495 <shard 2>
  command('CLUSTER', 'SLOTS'),
  command('GET', ownKey), // 20,000-byte bulk
  command('cluster', 'nodes'),
  command('SET', otherKey, 'v'), // -MOVED again
  command('CLUSTER', 'SHARDS'),
  command('NOSUCHCOMMAND'), // an error that is no redirect
  command('ECHO', `-MOVED 1 127.0.0.1:${f.cluster.nodes[1]?.port}`), // looks like a redirect, is a bulk string: untouched
  command('CLUSTER', 'REPLICAS', node0.id), // an error here (no replicas): passes as it is
  command('PING'),
];

/**
 * CLUSTER NODES lines carry ping-sent and pong-recv times that differ from one run to the next: masked (same length).
 */
function withoutClock(replies: Buffer): string {
  return replies
    .toString('latin1')
    .replace(
      /( (?:myself,)?(?:master|slave) \S+ )(\d+) (\d+) /g,
      (_all, head: string, ping: string, pong: string) =>
        `${head}${'0'.repeat(ping.length)} ${'0'.repeat(pong.length)} `,
    );
}

describe.each([
  [2, 'with CLUSTER commands'],
  [3, 'with CLUSTER commands'],
  [2, 'redirects only'],
  [3, 'redirects only'],
] as const)('RESP%s, %s', (protocol, kind) => {
  let reference: Buffer;
  const pipeline = pipelines[kind];
  const hasCluster = kind === 'with CLUSTER commands';

  it('the pipeline through the rewriting proxy names proxy ports only, the look-alike bulk string excepted', async () => {
    await toxic(undefined);
    reference = await exchange(protocol, pipeline());
    const text = reference.toString('latin1');
    const shard2 = f.cluster.nodes[2] as ClusterNode;
    expect(text).toContain(`-MOVED 15495 127.0.0.1:${linkPort(shard2.link)}\r\n`);
    expect(text.split('-MOVED 15495').length).toBe(3);
    expect(text).toContain(`-MOVED 1 127.0.0.1:${f.cluster.nodes[1]?.port}\r\n`); // the ECHO, unchanged
    expect(text).toContain('x'.repeat(20_000));
    expect(text).toContain('unknown command');
    for (const node of f.cluster.nodes) {
      if (hasCluster) expect(text).toContain(`127.0.0.1:${linkPort(node.link)}@${node.port + 10000}`);
      expect(text.split(`127.0.0.1:${node.port}`).length - 1, `real address of node ${node.index}`).toBe(
        node.index === 1 ? 1 : 0,
      );
      expect(text, `real port of node ${node.index} as an integer`).not.toContain(`\r\n:${node.port}\r\n`);
    }
    if (protocol === 3 && hasCluster) {
      expect(text).toMatch(/\*3\r\n%2\r\n/); // CLUSTER SHARDS: an array of maps
      expect(text).toContain('=');
    }
  });

  it.each([
    ['1-byte pieces (every boundary)', { average_size: 1, size_variation: 0 }],
    ['2-byte pieces', { average_size: 2, size_variation: 0 }],
    ['3-byte pieces', { average_size: 3, size_variation: 0 }],
    ['random pieces of 1..200 bytes', { average_size: 100, size_variation: 99 }],
  ])(
    'replies cut into %s: the same bytes',
    async (_name, attributes) => {
      await toxic({ type: 'slicer', attributes: { ...attributes, delay: 0 } });
      try {
        const sliced = await exchange(protocol, pipeline());
        expect(sliced.length).toBe(reference.length);
        expect(withoutClock(sliced)).toBe(withoutClock(reference));
      } finally {
        await toxic(undefined);
      }
    },
    60_000,
  );
});
