// The machine's CPU while a suite runs: every core's busy and idle time (os.cpus()) sampled once a second, so the
// journal can say how much headroom the chosen parallelism left.
import { cpus } from 'node:os';
import type { JournalCpu } from '../journal/journal-parallel.ts';

interface Totals {
  busy: number;
  idle: number;
}

function totals(): Totals {
  let busy = 0;
  let idle = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    idle += times.idle;
  }
  return { busy, idle };
}

/** Starts sampling; `stop()` ends it and returns what was seen (undefined when the run was shorter than a second). */
export function watchCpu(intervalMs = 1000): { stop(): JournalCpu | undefined } {
  const first = totals();
  let last = first;
  const busyShares: number[] = [];
  const timer = setInterval(() => {
    const now = totals();
    const busy = now.busy - last.busy;
    const all = busy + now.idle - last.idle;
    if (all > 0) busyShares.push(busy / all);
    last = now;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (busyShares.length === 0) return undefined;
      const end = totals();
      const busy = end.busy - first.busy;
      const mean = busy / (busy + end.idle - first.idle);
      const max = Math.max(...busyShares);
      return {
        samples: busyShares.length,
        busyMeanPct: pct(mean),
        busyMaxPct: pct(max),
        headroomMinPct: pct(1 - max),
      };
    },
  };
}

const pct = (share: number) => Math.round(share * 1000) / 10;
