// A fault's evidence as people read it: bytes in MB, milliseconds as durations, nested records as short "key value"
// lists, one line per entry; the raw JSON stays in the journal.
import { formatBytes, formatCount, formatMs } from './format-quantities.ts';

const byteKey = /(memory$|bytes|rss$)/i;
const msKey = /(Ms$|_ms$|^ms$|latency$|jitter$)/;

/** One value of the evidence, with the unit its key names. */
export function formatEvidenceValue(key: string, value: unknown, depth = 0): string {
  if (typeof value === 'number') {
    if (byteKey.test(key)) return formatBytes(value);
    if (msKey.test(key)) return formatMs(value);
    return Number.isInteger(value) ? formatCount(value) : String(Math.round(value * 1000) / 1000);
  }
  if (typeof value === 'string') {
    // CONFIG values come back as strings: "33554432" for maxmemory
    if (byteKey.test(key) && /^\d+$/.test(value))
      return Number(value) === 0 ? '0 (no limit)' : formatBytes(Number(value));
    return value;
  }
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.length > 6
      ? `${value
          .slice(0, 6)
          .map((v) => formatEvidenceValue(key, v, depth + 1))
          .join(', ')} … (${value.length})`
      : value.map((v) => formatEvidenceValue(key, v, depth + 1)).join(', ');
  if (typeof value === 'object') {
    if (depth > 2) return JSON.stringify(value);
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${k} ${formatEvidenceValue(k, v, depth + 1)}`,
    );
    return depth === 0 ? parts.join(' · ') : `(${parts.join(', ')})`;
  }
  return String(value);
}

/** The evidence as [key, readable value] lines. */
export function evidenceLines(evidence: Record<string, unknown> | undefined): [string, string][] {
  return Object.entries(evidence ?? {}).map(([k, v]) => [k, formatEvidenceValue(k, v)]);
}
