// Which load drives the run: the user's k6 script (load.driver: k6) or the built-in open-model driver on the target's
// traffic mix, both with the ledger's sessions and the phase windows.
import { resolve } from 'node:path';
import type { JournalPhase } from '../journal/journal-types.ts';
import { startLoad, type RunningLoad } from '../load/index.ts';
import type { K6Threshold } from '../load/k6/k6-thresholds.ts';
import { authHeaders, cacheIds } from '../targets/index.ts';
import type { PhaseClock } from './phase-clock.ts';
import type { PreparedRun } from './prepare.ts';
import type { RunContext } from './run-context.ts';

export interface StartedLoad {
  load: RunningLoad;
  /** k6's own thresholds once it stopped (none for the built-in driver). */
  thresholds(): K6Threshold[];
}

/** A `{{user}}` in a traffic path: the built-in driver requests it as one fixed user. */
const userPlaceholder = /\{\{\s*user\s*\}\}/g;
const builtInUser = 'cachequake';
const idPlaceholder = /\{\{\s*id\s*\}\}/;

export async function startLoadDriver(
  ctx: RunContext,
  run: PreparedRun,
  clock: PhaseClock,
  phases: readonly JournalPhase[],
): Promise<StartedLoad> {
  const { experiment } = ctx;
  const { service, ledger, target } = run;
  if (experiment.load.driver === 'k6') {
    const { startK6Load } = await import('../load/k6/k6-driver.ts');
    const load = await startK6Load({
      script: resolve(ctx.loaded.dir, experiment.load.script as string),
      baseUrl: service.url,
      rateRps: experiment.load.rate,
      durationMs: clock.endMs,
      timeoutMs: experiment.load.timeout,
      phases,
      tokens: ledger?.entries.map((e) => e.token) ?? [],
      startedAtMs: clock.startedAtEpochMs,
    });
    return { load, thresholds: () => load.thresholds() };
  }
  const carrier = target.manifest.session?.token;
  const ids = target.manifest.cache ? cacheIds(target.manifest.cache) : [];
  const load = startLoad({
    baseUrl: service.url,
    mix: target.manifest.traffic.flatMap((t) => {
      const path = t.path.replace(userPlaceholder, builtInUser);
      const route = { method: t.method, path, authenticated: t.auth, weight: t.weight, body: t.body as never };
      // {{id}}: one route per id of cache.ids, sharing the entry's weight (the mix takes them in turn)
      if (!idPlaceholder.test(path)) return [route];
      return ids.map((id) => ({
        ...route,
        path: path.replace(new RegExp(idPlaceholder, 'g'), String(id)),
        weight: t.weight / ids.length,
      }));
    }),
    rateRps: experiment.load.rate,
    timeoutMs: experiment.load.timeout,
    maxInFlight: experiment.load.maxInFlight,
    maxDurationMs: clock.endMs,
    tokenSource: () => ledger?.randomSession()?.token,
    attachToken: (headers, token) => {
      if (carrier) Object.assign(headers, authHeaders(carrier, token));
    },
    phaseSource: () => clock.current(),
    // one clock for load, faults and probes: second s of the series is [s, s + 1) on the phase clock
    clock: () => clock.elapsedMs(),
    originMs: 0,
  });
  return { load, thresholds: () => [] };
}
