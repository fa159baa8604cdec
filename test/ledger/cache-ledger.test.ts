// The cache ledger against a real HTTP server whose answers change: a changed body or status is stale, a 5xx or no
// answer is an error, ignoreFields are left out of the comparison, and a target no id answers is refused.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheLedger } from '../../src/ledger/cache-ledger.ts';
import { cacheSchema, targetFromObject } from '../../src/targets/index.ts';

/** What the server answers per id; tests change it between reads. */
const answers = new Map<number, { status: number; body: string }>();
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const id = Number(/^\/items\/(\d+)$/.exec(req.url ?? '')?.[1]);
    const answer = answers.get(id) ?? { status: 404, body: '{"error":"none"}' };
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const target = targetFromObject(
  {
    name: 'items',
    command: 'node',
    health: { path: '/health' },
    cache: { read: { path: '/items/{{id}}' }, ids: { from: 1, to: 6 }, ignoreFields: ['servedAt'] },
    traffic: [{ path: '/items/{{id}}' }],
  },
  '/tmp',
);

describe('CacheLedger', () => {
  it('counts a changed body or status as stale, a 5xx as an error, and ignores ignoreFields', async () => {
    for (let id = 1; id <= 6; id++) answers.set(id, { status: 200, body: `{"id":${id},"servedAt":1}` });
    answers.set(6, { status: 500, body: 'boom' });
    const ledger = new CacheLedger(cacheSchema.parse(target.manifest.cache), baseUrl, 1000);
    await ledger.readBaseline(target, 3);
    expect(ledger.entries.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect(ledger.baselineFailures).toEqual({ 'status:500': 1 });

    answers.set(1, { status: 200, body: '{"id":1,"servedAt":2}' }); // only an ignored field changed
    answers.set(2, { status: 200, body: '{"id":2,"name":"unavailable"}' }); // a made-up fallback
    answers.set(3, { status: 404, body: '{"error":"none"}' }); // a cached "not found"
    answers.set(4, { status: 503, body: 'down' });
    const during = await ledger.checkAll(2);
    expect(during).toMatchObject({ checked: 5, same: 2, stale: 2, errors: 1, errorReasons: { 'status:503': 1 } });

    // back to right: stale stays counted for the ids that were wrong once, stale at the end is only what is wrong now
    for (let id = 1; id <= 5; id++) answers.set(id, { status: 200, body: `{"id":${id},"servedAt":3}` });
    const end = await ledger.checkAll(2);
    expect(end).toMatchObject({ checked: 5, same: 5, stale: 0, errors: 0 });
    expect(ledger.staleIds()).toEqual([2, 3]);
    expect(ledger.reads).toBe(10);
    expect(ledger.staleExamples()).toEqual([
      { id: 2, baseline: '200 {"id":2}', seen: '200 {"id":2,"name":"unavailable"}' },
      { id: 3, baseline: '200 {"id":3}', seen: '404 {"error":"none"}' },
    ]);
    await ledger.close();
  });

  it('samples ids in rotation', async () => {
    for (let id = 1; id <= 6; id++) answers.set(id, { status: 200, body: `{"id":${id}}` });
    const ledger = new CacheLedger(cacheSchema.parse(target.manifest.cache), baseUrl, 1000);
    await ledger.readBaseline(target, 6);
    answers.set(5, { status: 200, body: '{"id":5,"changed":true}' });
    const first = await ledger.checkSample(4, 2);
    const second = await ledger.checkSample(4, 2);
    expect([first.stale, second.stale]).toEqual([0, 1]);
    expect(ledger.reads).toBe(8);
    await ledger.close();
  });

  it('refuses a read path no id answers with 2xx (exit 3), naming the path and the answers', async () => {
    answers.clear();
    const ledger = new CacheLedger(cacheSchema.parse(target.manifest.cache), baseUrl, 1000);
    await expect(ledger.readBaseline(target, 3)).rejects.toMatchObject({
      code: 'CQ_CACHE_BASELINE_FAILED',
      message: expect.stringContaining('GET /items/{{id}}'),
      hint: expect.stringContaining('status:404'),
    });
    await ledger.close();
  });
});
