// Durations ("5s", "200ms", "1m") and sizes ("32mb", "10kb") as written in experiments, parsed to ms and bytes.
import { z } from 'zod';

const durationUnitsMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const sizeUnitsBytes: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseDurationMs(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/i.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (durationUnitsMs[(match[2] as string).toLowerCase()] as number));
}

export function parseSizeBytes(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (sizeUnitsBytes[(match[2] ?? 'b').toLowerCase()] as number));
}

/** A duration field: a string with a unit (ms, s, m, h), parsed to milliseconds. */
export const durationField = z
  .string({ error: 'expected a duration with a unit, e.g. "5s", "200ms" or "1m"' })
  .refine((t) => parseDurationMs(t) !== undefined, {
    error: (i) => `expected a duration such as "5s", "200ms" or "1m", got ${JSON.stringify(i.input)}`,
  })
  .transform((t) => parseDurationMs(t) as number)
  .meta({ description: 'a duration with a unit: ms, s, m or h (e.g. "5s", "250ms")' });

/** A size field: bytes as a number, or a string with b, kb, mb, gb. */
export const sizeField = z
  .union([z.number().int().nonnegative(), z.string()])
  .refine((v) => typeof v === 'number' || parseSizeBytes(v) !== undefined, {
    error: (i) => `expected a size such as "32mb", "10kb" or a number of bytes, got ${JSON.stringify(i.input)}`,
  })
  .transform((v) => (typeof v === 'number' ? v : (parseSizeBytes(v) as number)))
  .meta({ description: 'a size: bytes, or a string with kb, mb or gb (e.g. "32mb")' });

/** A size or a percentage of maxmemory ("150%"). */
export const sizeOrPercentField = z
  .union([z.number().int().nonnegative(), z.string()])
  .refine((v) => typeof v === 'number' || /^\s*\d+(\.\d+)?\s*%\s*$/.test(v) || parseSizeBytes(v) !== undefined, {
    error: (i) => `expected a size ("64mb") or a percentage of maxmemory ("150%"), got ${JSON.stringify(i.input)}`,
  })
  .transform((v): { bytes: number } | { percentOfMaxmemory: number } =>
    typeof v === 'string' && v.trim().endsWith('%')
      ? { percentOfMaxmemory: Number.parseFloat(v) }
      : { bytes: typeof v === 'number' ? v : (parseSizeBytes(v) as number) },
  )
  .meta({ description: 'a size ("64mb") or a percentage of maxmemory ("150%")' });

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}
