// report.html and compare.html as a person sees them in headless chromium: no errors, every chart drawn with data, the
// expectations visible, the cause of a failed incident run on screen; screenshots kept under reports/test-artifacts/.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { compareJournals, renderCompareHtml, writeReports } from '../../src/reports/index.ts';
import { hasChromium, chromiumPath, openInChromium } from './chromium-page.ts';
import { loadFixture, type FixtureName } from './journal-fixtures.ts';

const artifacts = fileURLToPath(new URL('../../reports/test-artifacts/', import.meta.url));
if (!hasChromium)
  console.warn(
    `html-in-chromium: SKIPPED: no chromium at ${chromiumPath} (apt-get install chromium; scripts/setup.sh installs it when CI is set)`,
  );

async function reportOf(name: FixtureName): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `cq-html-${name}-`));
  return (await writeReports(loadFixture(name), dir, {})).html;
}

interface ChartCheck {
  id: string;
  points: number;
  /** Per series colour: pixels of that colour on the canvas (the drawn line). */
  pixels: Record<string, number>;
}

/** Reads each chart's canvas back and counts the pixels drawn in each of its series' colours. */
function chartChecks(page: Page): Promise<ChartCheck[]> {
  return page.$$eval('.plot', (plots) =>
    plots.map((el) => {
      const canvas = el.querySelector('canvas');
      const colors = (el.getAttribute('data-colors') ?? '').split(' ').filter(Boolean);
      const pixels: Record<string, number> = {};
      if (canvas) {
        const data =
          canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        for (const color of colors) {
          const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
          let n = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (
              (data[i + 3] ?? 0) > 200 &&
              Math.abs((data[i] ?? 0) - r) < 10 &&
              Math.abs((data[i + 1] ?? 0) - g) < 10 &&
              Math.abs((data[i + 2] ?? 0) - b) < 10
            )
              n++;
          }
          pixels[color] = n;
        }
      }
      return { id: el.id, points: Number(el.getAttribute('data-points') ?? 0), pixels };
    }),
  );
}

function expectEveryChartDrawn(checks: ChartCheck[]): void {
  expect(checks.length).toBeGreaterThan(0);
  for (const c of checks) {
    expect(c.points, `${c.id}: data points`).toBeGreaterThan(0);
    expect(Object.keys(c.pixels).length, `${c.id}: series`).toBeGreaterThan(0);
    for (const [color, n] of Object.entries(c.pixels)) expect(n, `${c.id}: pixels of ${color}`).toBeGreaterThan(20);
  }
}

describe.skipIf(!hasChromium)('report.html in headless chromium', () => {
  it('a failed incident run: no errors, offline, every chart drawn, expectations visible, the cause at a glance', async () => {
    await using opened = await openInChromium(await reportOf('failed'));
    const { page } = opened;
    await page.locator('body[data-charts]').waitFor({ state: 'attached' });
    const checks = await chartChecks(page);
    expect(checks.map((c) => c.id.replace(/^x0-incident-2am-/, ''))).toEqual([
      'memory',
      'evicted',
      'sessions',
      'errors',
      'latency',
      'rps',
    ]);
    expectEveryChartDrawn(checks);
    expect(await page.locator('body').getAttribute('data-charts')).toBe(String(checks.length));
    expect(await page.locator('table.expectations').isVisible()).toBe(true);
    expect(await page.locator('table.expectations tr.fail').count()).toBe(4);
    expect(await page.locator('table.expectations tr.fail').first().innerText()).toMatch(
      /✗ fail\s+sessions\.lost == 0\s+175/,
    );
    // the cause in the first screenful: memory at maxmemory, evictions, sessions lost — as red cards and in the verdict
    const verdict = page.locator('.verdict');
    expect(await verdict.innerText()).toMatch(
      /Redis used_memory reached maxmemory \(32 MB\).*Redis evicted [\d,]+ keys.*sampled sessions still valid fell from 100% to \d+%/,
    );
    for (const label of ['Sessions lost', 'Redis used_memory, peak', 'Redis evicted keys']) {
      const card = page.locator('.card.bad', { hasText: label });
      expect(await card.isVisible(), label).toBe(true);
      expect((await card.boundingBox())?.y ?? Infinity, `${label} above the fold`).toBeLessThan(900);
    }
    // the memory, evictions and sessions charts come first, right under the expectations
    const memoryTop = (await page.locator('.plot[id$="-memory"]').boundingBox())?.y ?? Infinity;
    expect(memoryTop).toBeLessThan(1000);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-incident-2am-failed.png'), fullPage: true });
    expect(opened.errors).toEqual([]);
    expect(opened.external).toEqual([]);
  });

  it('a passed run on session-service: the breaker chart is drawn too', async () => {
    await using opened = await openInChromium(await reportOf('passed'));
    const checks = await chartChecks(opened.page);
    expect(checks.map((c) => c.id.replace(/^x0-incident-2am-/, ''))).toContain('breaker');
    expectEveryChartDrawn(checks);
    expect(await opened.page.locator('table.expectations tr.pass').count()).toBe(5);
    expect(await opened.page.locator('.badge.passed').first().isVisible()).toBe(true);
    await opened.page.screenshot({ path: join(artifacts, 'report-incident-2am-passed.png'), fullPage: true });
    expect(opened.errors).toEqual([]);
    expect(opened.external).toEqual([]);
  });

  it('a run that errored before the load: the error and its hint, no charts, no script errors', async () => {
    await using opened = await openInChromium(await reportOf('error'));
    expect(await opened.page.locator('.error-box').first().innerText()).toContain('CQ_REDIS_CONFIG_INVALID');
    expect(await opened.page.locator('.plot').count()).toBe(0);
    expect(await opened.page.locator('body').getAttribute('data-charts')).toBe('0');
    expect(opened.errors).toEqual([]);
  });

  it('a suite of two experiments: a section and a link per experiment, every chart of both drawn', async () => {
    const suite = loadFixture('failed');
    const passed = loadFixture('passed').experiments[0];
    if (passed) suite.experiments.push({ ...passed, name: 'incident-2am-done-right' });
    const dir = await mkdtemp(join(tmpdir(), 'cq-html-suite-'));
    await using opened = await openInChromium((await writeReports(suite, dir, {})).html);
    expect(await opened.page.locator('section.experiment').count()).toBe(2);
    expect(await opened.page.locator('header nav a').count()).toBe(2);
    const checks = await chartChecks(opened.page);
    expect(checks.filter((c) => c.id.startsWith('x1-incident-2am-done-right-'))).toHaveLength(7);
    expectEveryChartDrawn(checks);
    expect(opened.errors).toEqual([]);
  });

  it('compare.html: metric changes and overlaid timelines of the two runs, drawn', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cq-compare-'));
    const file = join(dir, 'compare.html');
    await writeFile(file, renderCompareHtml(compareJournals(loadFixture('passed'), loadFixture('failed'))));
    await using opened = await openInChromium(file);
    expectEveryChartDrawn(await chartChecks(opened.page));
    expect(await opened.page.locator('table.metrics tr.worse', { hasText: 'sessions.lost' }).first().isVisible()).toBe(
      true,
    );
    await opened.page.screenshot({ path: join(artifacts, 'compare-passed-vs-failed.png'), fullPage: true });
    expect(opened.errors).toEqual([]);
    expect(opened.external).toEqual([]);
  });
});
