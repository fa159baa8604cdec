// `cachequake run --live` watched in headless chromium at 480 px against a real run on a Redis this test started:
// the charts advance, a fault shows within a second of its injection, a note lands in the journal and report.html,
// and halt mid-fault exits 4 with the Redis config, the toxics and the keys as they were before.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type StartedFaultProxy } from '../../src/proxy/index.ts';
import { freePort, startPostgres, startTargetProcess } from '../../src/runtimes/local/index.ts';
import type { StartedPostgres, StartedTargetProcess } from '../../src/runtimes/local/types.ts';
import { renderTargetProcess, resolveTarget } from '../../src/targets/index.ts';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { cliPath, runCli } from '../fixtures/run-cli.ts';
import { hasChromium, openHttpInChromium, openInChromium } from '../reports/chromium-page.ts';
import {
  configOf,
  expectKeysIntact,
  fillForeignRedis,
  snapshotKeys,
  spawnForeignRedis,
  type ForeignRedis,
} from '../safety/foreign-redis.ts';

const instance = 'live-game-day';
const artifacts = fileURLToPath(new URL('../../reports/test-artifacts/', import.meta.url));
let foreign: ForeignRedis;
let postgres: StartedPostgres;
let proxy: StartedFaultProxy;
let target: StartedTargetProcess;
let dir: string;
let envFile: string;

beforeAll(async () => {
  if (!hasChromium) return;
  dir = await mkdtemp(join(tmpdir(), 'cq-live-'));
  foreign = await spawnForeignRedis();
  postgres = await startPostgres();
  proxy = await startFaultProxy();
  await fillForeignRedis(foreign, 2000);
  const toxiproxy = new Toxiproxy(proxy.url);
  const link = (name: string, port: number) =>
    toxiproxy.createProxy({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${port}` });
  const redisLink = await link('live-redis', foreign.port);
  const pgLink = await link('live-postgres', postgres.port);
  const port = (listen: string) => Number(listen.slice(listen.lastIndexOf(':') + 1));
  const redisPort = port(redisLink.listen);
  target = await startTargetProcess(
    renderTargetProcess(await resolveTarget('session-service'), {
      port: await freePort(),
      redis: { host: '127.0.0.1', port: redisPort, url: `redis://127.0.0.1:${redisPort}` },
      postgres: {
        host: '127.0.0.1',
        port: port(pgLink.listen),
        url: `postgres://postgres:${postgres.password}@127.0.0.1:${port(pgLink.listen)}/postgres`,
      },
    }),
  );
  envFile = join(dir, 'live.env.yaml');
  await writeFile(
    envFile,
    stringify({
      name: 'live',
      target: { url: target.url },
      toxiproxy: { url: proxy.url, proxies: { redis: 'live-redis', postgres: 'live-postgres' } },
      redis: { adminUrl: foreign.url, instance, markerKey: 'cachequake:live' },
      permit: ['config-set', 'latency'],
    }),
  );
  const prepared = await runCli(['prepare', '--env', envFile, '--allow-destructive', instance]);
  expect(prepared.code, prepared.stderr).toBe(0);
}, 90_000);

afterAll(async () => {
  await target?.stop();
  await proxy?.stop();
  await Promise.all([foreign?.stop(), postgres?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function toxicsOf(link: string): Promise<unknown[]> {
  return (await (await fetch(`${proxy.url}/proxies/${link}/toxics`)).json()) as unknown[];
}

describe.skipIf(!hasChromium)('run --live in headless chromium', () => {
  it('charts advance, faults show within 1 s, a note round-trips, halt mid-fault restores everything (exit 4)', async () => {
    const configBefore = await configOf(foreign);
    const keysBefore = await snapshotKeys(foreign);
    const experiment = join(dir, 'live-halt.yaml');
    await writeFile(
      experiment,
      stringify({
        name: 'live-halt',
        target: 'session-service',
        sessions: { users: 40 },
        load: { rate: 40 },
        // a baseline long enough for chromium to start and connect before the first fault
        phases: { baseline: '6s', fault: '30s', recovery: '2s' },
        faults: [
          { kind: 'config-set', parameters: { hz: 42 }, at: '1s' },
          { kind: 'latency', on: 'redis', latencyMs: 40, at: '2s' },
        ],
      }),
    );
    const reports = join(dir, 'reports');
    const child = spawn(
      process.execPath,
      [cliPath, 'run', experiment, '--env', envFile, '--allow-destructive', instance, '--live', '--reports', reports],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no live view URL: ${output}`)), 30_000);
        const timerCheck = setInterval(() => {
          const found = /live view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
          if (found) {
            clearTimeout(timer);
            clearInterval(timerCheck);
            resolve(found);
          }
        }, 50);
      });
      await using opened = await openHttpInChromium(url, { width: 480, height: 900 });
      const { page } = opened;
      await page.locator('body[data-connected="true"]').waitFor({ timeout: 10_000 });
      await page.fill('#who', 'ann');
      await page.locator('#who').dispatchEvent('change');

      // the charts advance second by second
      const seconds = page.locator('#live-x0 .charts[data-seconds]');
      await seconds.waitFor({ timeout: 20_000 });
      const first = Number(await seconds.getAttribute('data-seconds'));
      await page.waitForFunction(
        `Number(document.querySelector('#live-x0 .charts')?.dataset.seconds) >= ${first + 2}`,
        undefined,
        { timeout: 10_000 },
      );
      const points = await page.$$eval('#live-x0 .plot', (els) =>
        els.map((e) => Number(e.getAttribute('data-points'))),
      );
      expect(points.length).toBeGreaterThanOrEqual(3);
      for (const n of points) expect(n).toBeGreaterThan(0);

      // both faults on, then a note
      await page.locator('.fault-row[data-fault="2"][data-status="applied"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('#phase').textContent()).toBe('fault');
      expect(await page.locator('#countdown').textContent()).toMatch(/^\d+ s left in fault · \d+ s to the end$/);
      await page.fill('#note-text', 'paged on-call: latency as expected');
      await page.click('#note-form button');
      await page.locator('#notes li.note', { hasText: 'ann: paged on-call: latency as expected' }).waitFor();

      // readable at 480 px: nothing wider than the window
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(480);
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'live-view-480px.png'), fullPage: true });
      const connectedAt = Number(await page.locator('body').getAttribute('data-connected-at'));
      const shownAt = await page.evaluate<number[]>(
        '[Number(document.body.dataset.shown1), Number(document.body.dataset.shown2)]',
      );

      expect((await configOf(foreign)).hz).toBe('42');
      expect(await toxicsOf('live-redis')).toHaveLength(1);
      await page.click('#halt');
      await page.click('#halt-confirm');
      await page.locator('body[data-halted="true"]').waitFor({ timeout: 5000 });
      expect(await exited).toBe(4);
      expect(opened.errors).toEqual([]);
      expect(opened.external).toEqual([]);

      const journal = await readRunJournal(reports);
      const [x] = journal.experiments;
      expect(journal.status).toBe('aborted');
      expect(journal.halt).toMatchObject({ by: 'ann', from: '127.0.0.1' });
      expect(x?.abort?.reason).toMatch(/^halted from the live view by ann \(127\.0\.0\.1\) at /);
      expect(x?.faults.map((f) => f.status)).toEqual(['reverted', 'reverted']);
      expect(journal.notes).toMatchObject([
        { text: 'paged on-call: latency as expected', author: 'ann', experiment: 'live-halt' },
      ]);
      // each fault showed on the page within a second of taking effect
      const t0 = Date.parse(x?.phases[0]?.startedAt ?? '');
      x?.faults.forEach((f, i) => {
        expect(connectedAt, 'the page was connected before the fault').toBeLessThan(t0 + (f.appliedAtMs as number));
        const lagMs = (shownAt[i] as number) - (t0 + (f.appliedAtMs as number));
        expect(lagMs, `fault ${i + 1} shown ${lagMs} ms after its injection`).toBeLessThan(1000);
        console.info(`live view: fault ${i + 1} shown ${lagMs} ms after its injection`);
      });
      expect(await configOf(foreign)).toEqual(configBefore);
      expect(await toxicsOf('live-redis')).toEqual([]);
      expect(await toxicsOf('live-postgres')).toEqual([]);
      await expectKeysIntact(foreign, keysBefore, { allowExtra: true });

      // the note round-trips into report.html
      const reportFile = /report: (\S+report\.html)/.exec(output)?.[1] as string;
      expect(await readFile(reportFile, 'utf8')).toContain('paged on-call: latency as expected');
      await using report = await openInChromium(reportFile, { width: 480, height: 900 });
      await expect(report.page.locator('li.note').first().textContent()).resolves.toContain(
        'ann: paged on-call: latency as expected',
      );
      expect(await report.page.locator('.error-box.halt').textContent()).toContain('halted from the live view by ann');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
