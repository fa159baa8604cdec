// Formats a metric value in its kind's unit for people: "212 ms", "0.4%", "31.2 MB", "4.2 s".
import type { MetricKind } from './types.ts';

/** A number with as many decimals as are useful: 1234, 12.3, 4.25, 0.0042. */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude >= 100) return String(Math.round(value));
  if (magnitude >= 10) return String(Number(value.toFixed(1)));
  if (magnitude >= 1) return String(Number(value.toFixed(2)));
  return String(Number(value.toPrecision(2)));
}

const byteUnits = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

function formatBytes(bytes: number): string {
  let value = bytes;
  let index = 0;
  while (Math.abs(value) >= 1024 && index < byteUnits.length - 1) {
    value /= 1024;
    index++;
  }
  return `${formatNumber(value)} ${byteUnits[index]}`;
}

/** The value in the canonical unit of its kind, formatted; Infinity prints as ∞ (e.g. never recovered). */
export function formatValue(kind: MetricKind, value: number): string {
  if (Number.isNaN(value)) return 'no data';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  switch (kind) {
    case 'duration':
      return `${formatNumber(value)} ms`;
    case 'seconds':
      return `${formatNumber(value)} s`;
    case 'ratio':
      return `${formatNumber(value * 100)}%`;
    case 'bytes':
      return formatBytes(value);
    case 'rate':
      return `${formatNumber(value)}/s`;
    case 'count':
      return formatNumber(value);
  }
}
