// The live view's server on real sockets: loopback without a token, another host only with one, the SSE stream's
// first state and the messages after it, notes checked, a halt taken once, POSTs only as JSON.
import { describe, expect, it } from 'vitest';
import type { JournalHalt } from '../../src/journal/journal-types.ts';
import { startLiveServer } from '../../src/live/live-server.ts';
import { LiveState, type LiveMessage } from '../../src/live/live-state.ts';
import { runCli } from '../fixtures/run-cli.ts';

const post = (url: string, body: unknown, type = 'application/json') =>
  fetch(url, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });

/** Reads SSE `data:` messages from /events until `count` arrived. */
async function readEvents(url: string, count: number, during: () => Promise<void>): Promise<LiveMessage[]> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const messages: LiveMessage[] = [];
  let buffer = '';
  let started = false;
  while (messages.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += new TextDecoder().decode(value);
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith('data: ')) messages.push(JSON.parse(block.slice(6)) as LiveMessage);
    }
    if (!started) {
      started = true;
      await during();
    }
  }
  controller.abort();
  return messages;
}

describe('live server', () => {
  it('on 127.0.0.1: the page without a token, notes checked and tagged with the running experiment, one halt', async () => {
    const state = new LiveState();
    const halts: JournalHalt[] = [];
    await using server = await startLiveServer({ state, onHalt: (h) => halts.push(h) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.token).toBeUndefined();
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>cachequake live<\/title>[\s\S]*uPlot[\s\S]*cqTimelineCharts/);

    state.apply({ type: 'suite-queued', experiments: ['one', 'two'] });
    const t0 = Date.now() - 5000;
    state.apply({ type: 'experiment-started', index: 0, experiment: 'one', t0EpochMs: t0, phases: [], faults: [] });
    const messages = await readEvents(`${server.url}events`, 3, async () => {
      expect((await post(`${server.url}notes`, { text: '  paged on-call ', author: 'ann' })).status).toBe(201);
      state.apply({ type: 'experiment-ended', index: 0, experiment: 'one', status: 'passed' });
    });
    expect(messages[0]).toMatchObject({ type: 'state', experiments: [{ status: 'running' }, { status: 'queued' }] });
    expect(messages[1]).toMatchObject({
      type: 'note',
      note: { text: 'paged on-call', author: 'ann', experiment: 'one' },
    });
    const atMs = (messages[1] as { note: { atMs: number } }).note.atMs;
    expect(atMs).toBeGreaterThanOrEqual(5000);
    expect(atMs).toBeLessThan(8000);
    expect(messages[2]).toMatchObject({ type: 'experiment', experiment: { name: 'one', status: 'passed' } });

    const bad = await post(`${server.url}notes`, { text: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('"text"');
    expect((await post(`${server.url}notes`, { text: 'x'.repeat(501) })).status).toBe(400);
    expect((await post(`${server.url}halt`, {}, 'text/plain')).status).toBe(415);
    expect(halts).toEqual([]);
    expect((await post(`${server.url}halt`, { by: 'bob' })).status).toBe(202);
    expect((await post(`${server.url}halt`, { by: 'carol' })).status).toBe(202);
    expect(halts).toMatchObject([{ by: 'bob', from: '127.0.0.1' }]);
    expect(state.halt?.by).toBe('bob');
    expect(state.notes.map((n) => n.text)).toEqual(['paged on-call']);
  });

  it('on another host: every route needs the token, in the URL or a header', async () => {
    const halts: JournalHalt[] = [];
    await using server = await startLiveServer({
      state: new LiveState(),
      host: '127.0.0.2',
      onHalt: (h) => halts.push(h),
    });
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(server.url).toBe(`http://127.0.0.2:${server.port}/?token=${server.token}`);
    const base = `http://127.0.0.2:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=${server.token}x`)).status).toBe(401);
    expect((await post(`${base}/halt`, { by: 'mallory' })).status).toBe(401);
    expect(halts).toEqual([]);
    expect((await fetch(server.url)).status).toBe(200);
    const withHeader = await fetch(`${base}/halt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cachequake-token': server.token as string },
      body: '{}',
    });
    expect(withHeader.status).toBe(202);
    expect(halts).toMatchObject([{ by: 'anonymous' }]);
  });

  it('a port in use is an environment error that names the port and the fix', async () => {
    await using first = await startLiveServer({ state: new LiveState(), onHalt: () => {} });
    await expect(startLiveServer({ state: new LiveState(), port: first.port, onHalt: () => {} })).rejects.toMatchObject(
      {
        code: 'CQ_LIVE_PORT_IN_USE',
        message: expect.stringContaining(`127.0.0.1:${first.port}: EADDRINUSE`),
      },
    );
  });

  it('run --live-port 99999 and an empty --live-host: exit 2 naming the flag and the fix, nothing started', async () => {
    const repo = new URL('../../', import.meta.url).pathname;
    const port = await runCli(['run', 'experiments/flushall.yaml', '--live-port', '99999'], { cwd: repo });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain(
      'CQ_OPTION_INVALID: Expected --live-port to be a port number from 0 to 65535, got "99999"',
    );
    expect(port.stderr).toContain('Leave --live-port out');
    expect(port.stderr).not.toContain('live view:');
    const host = await runCli(['run', 'experiments/flushall.yaml', '--live-host', ' '], { cwd: repo });
    expect(host.code).toBe(2);
    expect(host.stderr).toContain('Expected --live-host to name a host or address');
  });
});
