// `cachequake proxy` as a real child process on this Node 24: prints its URL, serves the API, stops on signals, fails
// clearly.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startEchoServer, startTcpServer, type TestServer } from './fixtures/tcp-servers.ts';
import { connectRecording } from './fixtures/socket-reader.ts';
import { portOf } from './fixtures/proxy-under-test.ts';

const cli = fileURLToPath(new URL('../../bin/cachequake.js', import.meta.url));
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [cli, 'proxy', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function urlOf(r: Run): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /on (http:\/\/[\d.]+:\d+)/.exec(r.stdout());
    if (match?.[1]) return match[1];
    if (r.child.exitCode !== null) throw new Error(`cachequake proxy exited ${r.child.exitCode}: ${r.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no URL printed; stdout: ${r.stdout()} stderr: ${r.stderr()}`);
}

async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cq-proxy-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

describe('cachequake proxy', () => {
  it('serves the Toxiproxy API on loopback, proxies bytes, and stops cleanly on SIGTERM', async () => {
    const echo: TestServer = await startEchoServer();
    cleanups.push(() => echo.close());
    const r = run(['--port', '0']);
    const url = await urlOf(r);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new Toxiproxy(url);
    expect(await client.getVersion()).toBe('{"version": "2.12.0"}\n');
    const proxy = await client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    await proxy.addToxic({ type: 'latency', attributes: { latency: 100 } } as never);
    const c = await connectRecording(portOf(proxy.listen));
    const started = performance.now();
    c.socket.write('ping');
    await c.waitForBytes(4);
    expect(performance.now() - started).toBeGreaterThan(95);
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
    expect(r.stdout()).toContain('stopped on SIGTERM');
    await c.closed;
    await expect(fetch(`${url}/version`)).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { code: 'ECONNREFUSED' },
    }); // the port is closed
  });

  it('creates the proxies of --config at start and stops on SIGINT', async () => {
    const file = await tempFile(
      'populate.json',
      JSON.stringify([{ name: 'redis', listen: '127.0.0.1:0', upstream: '127.0.0.1:6379' }]),
    );
    const r = run(['--port', '0', '--config', file]);
    const url = await urlOf(r);
    expect(r.stdout()).toContain(`1 proxies from ${file}`);
    expect((await new Toxiproxy(url).get('redis')).enabled).toBe(true);
    r.child.kill('SIGINT');
    expect(await r.exit).toBe(0);
  });

  it("takes toxiproxy-server's single-dash flags (-host, -port, -config, -name=value), as start scripts pass them", async () => {
    const echo: TestServer = await startEchoServer();
    cleanups.push(() => echo.close());
    const file = await tempFile(
      'go-flags.json',
      JSON.stringify([{ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` }]),
    );
    const spaced = run(['-host', '127.0.0.1', '-port', '0', '-config', file, '-seed', '42']);
    const url = await urlOf(spaced);
    expect(spaced.stdout()).toContain(`1 proxies from ${file}`);
    const proxy = await new Toxiproxy(url).get('echo');
    const c = await connectRecording(portOf(proxy.listen));
    c.socket.write('hi');
    await c.waitForBytes(2);
    c.socket.destroy();
    spaced.child.kill('SIGTERM');
    expect(await spaced.exit).toBe(0);

    const equals = run(['-host=127.0.0.1', '-port=0', `-config=${file}`]);
    expect(await urlOf(equals)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(equals.stdout()).toContain(`1 proxies from ${file}`);
    const badPort = run(['-port', 'http']);
    expect(await badPort.exit).toBe(2);
    expect(badPort.stderr()).toContain('CQ_PROXY_BAD_PORT');
  });

  it('a proxy listening on 0.0.0.0 takes IPv4 and IPv6 connections and reports [::]:port, as Go does', async () => {
    const echo: TestServer = await startEchoServer();
    cleanups.push(() => echo.close());
    const r = run(['-port', '0']);
    const proxy = await new Toxiproxy(await urlOf(r)).createProxy({
      name: 'wild',
      listen: '0.0.0.0:0',
      upstream: `127.0.0.1:${echo.port}`,
    });
    expect(proxy.listen).toMatch(/^\[::\]:\d+$/);
    for (const host of ['127.0.0.1', '::1']) {
      const c = await connectRecording(portOf(proxy.listen), host);
      c.socket.write('ping');
      await c.waitForBytes(4);
      c.socket.destroy();
    }
  });

  it('exits 2 naming the file when --config is unreadable, not JSON, not an array, or misses a field', async () => {
    const cases: [string, RegExp][] = [
      [
        join(tmpdir(), 'cq-does-not-exist.json'),
        /CQ_PROXY_CONFIG_UNREADABLE: Cannot read the proxy config .*cq-does-not-exist\.json/,
      ],
      [
        await tempFile('broken.json', '[{"name":'),
        /CQ_PROXY_CONFIG_INVALID: The proxy config .*broken\.json is not valid JSON/,
      ],
      [
        await tempFile('object.json', '{"name":"x"}'),
        /CQ_PROXY_CONFIG_INVALID: The proxy config .*object\.json must be a JSON array/,
      ],
      [
        await tempFile('missing.json', '[{"name":"x"}]'),
        /CQ_PROXY_CONFIG_INVALID: .*missing\.json is invalid: missing required field: upstream at proxy 1/,
      ],
    ];
    for (const [file, message] of cases) {
      const r = run(['--port', '0', '--config', file]);
      expect(await r.exit, file).toBe(2);
      expect(r.stderr()).toMatch(message);
    }
  });

  it('exits 3 with a hint when the API port is in use, and 2 for a bad --port', async () => {
    const holder = await startTcpServer(() => {});
    cleanups.push(() => holder.close());
    const busy = run(['--port', String(holder.port)]);
    expect(await busy.exit).toBe(3);
    expect(busy.stderr()).toContain(`CQ_PROXY_PORT_IN_USE: Port ${holder.port} on 127.0.0.1 is already in use`);
    expect(busy.stderr()).toContain('--port 0');
    const bad = run(['--port', 'http']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain('CQ_PROXY_BAD_PORT');
  });
});
