// report.html laid out for people: readable on a 480 px phone and on paper, checked in headless chromium against layout
// rules (nothing wider than the page, fault labels that never overlap), not against pixels; screenshots under
// reports/test-artifacts/.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/journal-types.ts';
import { compareJournals, renderCompareHtml, writeReports } from '../../src/reports/index.ts';
import { hasChromium, openInChromium } from './chromium-page.ts';
import { loadFixture } from './journal-fixtures.ts';

const artifacts = fileURLToPath(new URL('../../reports/test-artifacts/', import.meta.url));

/** The failed incident run plus a FLUSHALL applied the moment fault 1 is reverted: labels that would collide. */
async function crowdedReport(): Promise<string> {
  const journal: Journal = loadFixture('failed');
  const e = journal.experiments[0];
  if (!e) throw new Error('fixture without an experiment');
  const first = e.faults[0];
  e.faults.push({
    index: e.faults.length,
    kind: 'flushall',
    params: { mode: 'sync' },
    scheduledAtMs: first?.revertedAtMs ?? 8000,
    appliedAtMs: first?.revertedAtMs ?? 8000,
    lagMs: 0,
    revertedAtMs: first?.revertedAtMs ?? 8000,
    reversible: false,
    status: 'reverted',
    evidence: { command: 'FLUSHALL SYNC', keysBefore: 2100, keysAfter: 0, used_memory: 33554432 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'cq-layout-'));
  return (await writeReports(journal, dir, {})).html;
}

/** Layout rules: the page never scrolls sideways; every chart and card fits the viewport; no two labels overlap. */
async function checkLayout(page: Page, width: number): Promise<void> {
  // a string, run in the page: the DOM types are not part of this project's (node) typecheck
  const layout = (await page.evaluate(`({
    scrollWidth: document.documentElement.scrollWidth,
    wide: [...document.querySelectorAll('.plot canvas, .card, .verdict, h1, h2, .cards')]
      .map((el) => ({ what: el.className || el.tagName, right: Math.round(el.getBoundingClientRect().right) }))
      .filter((x) => x.right > document.documentElement.clientWidth),
    labels: [...document.querySelectorAll('.plot')].map((el) => ({
      id: el.id,
      boxes: JSON.parse(el.getAttribute('data-fault-labels') ?? '[]'),
    })),
  })`)) as {
    scrollWidth: number;
    wide: { what: string; right: number }[];
    labels: { id: string; boxes: [number, number, number][] }[];
  };
  expect(layout.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(width);
  expect(layout.wide).toEqual([]);
  for (const { id, boxes } of layout.labels) {
    expect(boxes.length, `${id}: fault labels drawn`).toBeGreaterThan(0);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        if (a[2] === b[2]) expect(a[1] <= b[0] || b[1] <= a[0], `${id}: labels ${a} and ${b} overlap`).toBe(true);
  }
}

describe.skipIf(!hasChromium)('report.html layout', () => {
  it('reads at 480 px: no sideways scroll, charts within the screen, fault labels apart', async () => {
    await using opened = await openInChromium(await crowdedReport(), { width: 480, height: 900 });
    const { page } = opened;
    await page.locator('body[data-charts]').waitFor({ state: 'attached' });
    await checkLayout(page, 480);
    // the irreversible fault says so, and shows its evidence with units
    const row = page.locator('table.faults tr', { hasText: 'flushall' });
    expect(await row.innerText()).toMatch(/not reversible; no key backup was taken/);
    expect(await row.innerText()).toContain('32 MB');
    expect(await row.innerText()).not.toContain('33554432');
    expect(await page.locator('table.faults').innerText()).not.toMatch(/lag -/);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-480px.png'), fullPage: true });
    expect(opened.errors).toEqual([]);
  });

  it('prints: the print stylesheet keeps every chart within an A4 page width', async () => {
    await using opened = await openInChromium(await crowdedReport(), { width: 1400, height: 900 });
    const { page } = opened;
    await page.locator('body[data-charts]').waitFor({ state: 'attached' });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.evaluate("window.dispatchEvent(new Event('resize'))");
    await checkLayout(page, 794);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    await page.screenshot({ path: join(artifacts, 'report-print.png'), fullPage: true });
    expect(opened.errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('compare.html layout', () => {
  it('reads at 480 px: its wide metric tables scroll in their own box, the page never sideways', async () => {
    const a = loadFixture('passed');
    const b = loadFixture('failed');
    b.parallel = { requested: 'auto', level: 2, cores: 2, maxAtOnce: 2 }; // the caveat paragraph too
    const dir = await mkdtemp(join(tmpdir(), 'cq-compare-layout-'));
    const file = join(dir, 'compare.html');
    await writeFile(file, renderCompareHtml(compareJournals(a, b)));
    await using opened = await openInChromium(file, { width: 480, height: 900 });
    const { page } = opened;
    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      tables: document.querySelectorAll('table:not(.u-legend)').length,
      boxed: document.querySelectorAll('.table-scroll > table:not(.u-legend)').length,
    })`)) as { scrollWidth: number; tables: number; boxed: number };
    expect(layout.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(480);
    expect(layout.tables).toBeGreaterThan(1);
    expect(layout.boxed).toBe(layout.tables);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'compare-480px.png'), fullPage: true });
    expect(opened.errors).toEqual([]);
  });
});
