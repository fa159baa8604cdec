// Counter arithmetic over probe samples: the increase within a time window, surviving restarts (a counter that drops
// was reset).
export interface Point {
  tMs: number;
  value: number | undefined;
}

/** Sum of increases between consecutive known values whose later sample falls in (fromMs, toMs]. */
export function counterIncrease(points: readonly Point[], fromMs: number, toMs: number): number | undefined {
  let previous: number | undefined;
  let total = 0;
  let seen = false;
  for (const p of points) {
    if (p.value === undefined) continue;
    if (previous !== undefined && p.tMs > fromMs && p.tMs <= toMs) {
      total += p.value >= previous ? p.value - previous : p.value;
      seen = true;
    }
    previous = p.value;
  }
  return seen ? total : undefined;
}

export function maxIn(points: readonly Point[], fromMs: number, toMs: number): number | undefined {
  let max: number | undefined;
  for (const p of points)
    if (p.value !== undefined && p.tMs >= fromMs && p.tMs <= toMs) max = Math.max(max ?? -Infinity, p.value);
  return max;
}

export function lastIn(points: readonly Point[], fromMs: number, toMs: number): number | undefined {
  let last: number | undefined;
  for (const p of points) if (p.value !== undefined && p.tMs >= fromMs && p.tMs <= toMs) last = p.value;
  return last;
}
