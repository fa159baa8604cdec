// Formats journal numbers for people in every report: counts with separators, bytes, percentages, milliseconds,
// seconds.
import { formatNumber, formatValue } from '../expectations/index.ts';

export { formatNumber };

/** 2826 → "2,826" (a count is never shown with decimals). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  return formatValue('bytes', bytes);
}

/** A ratio (0.663) as a percentage ("66.3%"). */
export function formatPercent(ratio: number): string {
  return formatValue('ratio', ratio);
}

export function formatMs(ms: number): string {
  return formatValue('duration', ms);
}

/** Milliseconds as seconds: 25038 → "25 s", 962 → "0.96 s". */
export function formatSecondsFromMs(ms: number): string {
  return formatValue('seconds', ms / 1000);
}

/** "t=5 s" for a moment measured from the start of the load. */
export function formatAt(ms: number): string {
  return `t=${formatNumber(ms / 1000)} s`;
}

/** A value of a fault's params or evidence on one line: numbers, strings and small objects as compact JSON. */
export function formatPlain(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  return JSON.stringify(value);
}
