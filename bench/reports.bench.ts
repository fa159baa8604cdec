// Reports bench: rendering report.html + junit.xml + summary.md for a 10-minute run at 1 s resolution, against
// parsing the same journal as `cachequake report` reads it (JSON.parse + the journal shape), measured in the same run.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Journal, SeriesPoint } from '../src/journal/journal-types.ts';
import { reporters, writeReports } from '../src/reports/index.ts';
import { journalJson } from '../src/journal/write-journal.ts';
import { journalShape } from '../src/reports/journal-shape.ts';
import { percentile, type BenchGoal, type BenchResult } from './bench-result.ts';
import { hasChromium, openInChromium } from '../test/reports/chromium-page.ts';

const fixture = new URL('../test/fixtures/journals/incident-2am-naive-failed.json', import.meta.url);
const phases = { baseline: 60, fault: 420, recovery: 120 } as const;
const rounds = 15;
/**
 * Rendering the three reports may cost this many journal parses: both walk the same 600 points once, and a renderer
 * that does more than a fixed amount of work per point (one row, one chart value) shows up as a larger ratio.
 */
const renderPerParseMax = 3;

/**
 * A synthetic journal of a 10-minute run, generated from the real short incident run in test/fixtures/journals: the
 * same experiment stretched to 60 s / 420 s / 120 s, each second copied from a real second of the same phase with a
 * little deterministic variation, faults moved to the new phase times. Only the series length is made up.
 */
function tenMinuteJournal(): Journal {
  const journal = JSON.parse(readFileSync(fixture, 'utf8')) as Journal;
  const e = journal.experiments[0];
  if (!e) throw new Error(`${fixture.pathname} holds no experiment`);
  const byPhase = (name: string) => e.series.filter((p) => p.phase === name);
  const faultStart = phases.baseline;
  const recoveryStart = phases.baseline + phases.fault;
  const total = recoveryStart + phases.recovery;
  const series: SeriesPoint[] = [];
  for (let s = 0; s < total; s++) {
    const phase = s < faultStart ? 'baseline' : s < recoveryStart ? 'fault' : 'recovery';
    const pool = byPhase(phase);
    const from = pool[s % pool.length] as SeriesPoint;
    const wobble = 1 + 0.05 * Math.sin(s / 7);
    series.push({
      ...structuredClone(from),
      second: s,
      phase,
      rps: from.rps * wobble,
      p50Ms: from.p50Ms * wobble,
      p99Ms: from.p99Ms * wobble,
      redis: from.redis
        ? { ...from.redis, evictedKeys: phase === 'baseline' ? 0 : from.redis.evictedKeys + (s - faultStart) * 3 }
        : null,
    });
  }
  e.series = series;
  e.durationMs = total * 1000 + 3000;
  e.phases = [
    { ...(e.phases[0] as (typeof e.phases)[number]), name: 'baseline', startMs: 0, endMs: faultStart * 1000 },
    {
      ...(e.phases[1] as (typeof e.phases)[number]),
      name: 'fault',
      startMs: faultStart * 1000,
      endMs: recoveryStart * 1000,
    },
    {
      ...(e.phases[2] as (typeof e.phases)[number]),
      name: 'recovery',
      startMs: recoveryStart * 1000,
      endMs: total * 1000,
    },
  ];
  const [fill, latency] = e.faults;
  if (fill)
    Object.assign(fill, {
      scheduledAtMs: faultStart * 1000,
      appliedAtMs: faultStart * 1000 + 1,
      revertScheduledAtMs: recoveryStart * 1000,
      revertedAtMs: recoveryStart * 1000 + 20,
    });
  if (latency)
    Object.assign(latency, {
      scheduledAtMs: 120_000,
      appliedAtMs: 120_001,
      revertScheduledAtMs: 300_000,
      revertedAtMs: 300_010,
    });
  return journal;
}

function timeMs(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export default async function bench(): Promise<BenchResult> {
  const journal = tenMinuteJournal();
  const text = journalJson(journal);
  const renderAll = () => {
    for (const reporter of [reporters.html, reporters.junit, reporters.markdown]) reporter.render(journal);
  };
  // both first calls cold (no JIT yet); the render's also reads uPlot from node_modules once
  const firstParseMs = timeMs(() => journalShape.parse(JSON.parse(text)));
  const firstRenderMs = timeMs(renderAll);
  const render: number[] = [];
  const baseline: number[] = [];
  const parse: number[] = [];
  const perReporter: Record<string, number[]> = { html: [], junit: [], markdown: [] };
  for (let i = 0; i < rounds; i++) {
    // interleaved, so both see the same machine state
    baseline.push(timeMs(() => JSON.stringify(JSON.parse(text))));
    parse.push(timeMs(() => journalShape.parse(JSON.parse(text))));
    render.push(timeMs(renderAll));
    for (const name of ['html', 'junit', 'markdown'] as const)
      perReporter[name]?.push(timeMs(() => reporters[name].render(journal)));
  }
  const dir = await mkdtemp(join(tmpdir(), 'cq-bench-reports-'));
  const writeStart = performance.now();
  const written = await writeReports(journal, dir, {});
  const writeMs = performance.now() - writeStart;
  const drawMs = hasChromium ? await openAndDrawMs(written.html) : undefined;
  await rm(dir, { recursive: true, force: true });

  const renderMedian = percentile(render, 50);
  const baselineMedian = percentile(baseline, 50);
  const parseMedian = percentile(parse, 50);
  const renderPerParse = Math.round((renderMedian / parseMedian) * 100) / 100;
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    measurements: {
      journal: 'synthetic: the real short incident-2am journal stretched to 600 s (60/420/120), see tenMinuteJournal()',
      seriesPoints: journal.experiments[0]?.series.length,
      journalBytes: Buffer.byteLength(text),
      reportHtmlBytes: Buffer.byteLength(reporters.html.render(journal)),
      firstRenderMs: round1(firstRenderMs),
      firstParseMs: round1(firstParseMs),
      renderAllMs: { p50: round1(renderMedian), max: round1(Math.max(...render)) },
      renderMedianMs: Object.fromEntries(Object.entries(perReporter).map(([k, v]) => [k, round1(percentile(v, 50))])),
      writeReportsMs: round1(writeMs),
      jsonParseStringifyMs: { p50: round1(baselineMedian), max: round1(Math.max(...baseline)) },
      journalParseMs: { p50: round1(parseMedian), max: round1(Math.max(...parse)) },
      ratioRenderToJournalParse: renderPerParse,
      ratioRenderToJsonRoundTrip: Math.round((renderMedian / baselineMedian) * 100) / 100,
      chromiumOpenAndDrawMs: drawMs === undefined ? 'not measured: no chromium' : drawMs.map(round1),
    },
    goals: [
      {
        name: 'render report.html + junit.xml + summary.md of a 10-minute run (600 points), median',
        actual: `${renderPerParse}× the journal parse (${round1(renderMedian)} ms vs ${round1(parseMedian)} ms)`,
        goal: `<= ${renderPerParseMax}× parsing the same journal, measured in this run`,
        met: renderPerParse <= renderPerParseMax,
      },
      {
        name: 'the first render (cold, uPlot read from disk included) against the first journal parse (cold)',
        actual: `${round1(firstRenderMs / firstParseMs)}× (${round1(firstRenderMs)} ms vs ${round1(firstParseMs)} ms)`,
        goal: `<= ${renderPerParseMax}× the first parse of this run`,
        met: firstRenderMs <= renderPerParseMax * firstParseMs,
      },
      ...(drawMs === undefined ? [] : [drawGoal(drawMs)]),
    ],
  };
}

/**
 * Opening report.html in headless chromium until every chart is drawn (the scripts run before `load`), 3 times in one
 * browser.
 */
async function openAndDrawMs(file: string): Promise<number[]> {
  await using opened = await openInChromium(file);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await opened.page.reload({ waitUntil: 'load' });
    await opened.page.locator('body[data-charts]').waitFor({ state: 'attached' });
    times.push(performance.now() - t);
  }
  if (opened.errors.length) throw new Error(`report.html had errors in chromium: ${opened.errors.join('; ')}`);
  return times;
}

function drawGoal(times: number[]): BenchGoal {
  const median = percentile(times, 50);
  return {
    name: 'open the 10-minute report.html in headless chromium and draw every chart, median',
    actual: `${Math.round(median)} ms`,
    goal: '< 1000 ms',
    met: median < 1000,
  };
}
