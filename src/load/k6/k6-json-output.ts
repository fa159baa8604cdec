// Reads k6's JSON output (`k6 run --out json=…`): one JSON object a line, either a Metric declaration or a Point
// sample.
import { environmentError } from '../../errors/index.ts';

export interface K6MetricDeclaration {
  name: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: string;
  thresholds: string[];
}

export interface K6Point {
  metric: string;
  /** Epoch ms (k6 writes RFC 3339 with nanoseconds; sub-ms digits are kept as a fraction). */
  timeMs: number;
  value: number;
  tags: Record<string, string>;
}

export interface K6Output {
  metrics: Map<string, K6MetricDeclaration>;
  points: K6Point[];
}

/** RFC 3339 with up to nanoseconds and any offset → epoch ms with the sub-ms fraction. */
export function parseK6Time(text: string): number {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return Number.NaN;
  const fraction = match[2] ?? '';
  return Date.parse(`${match[1]}${match[3]}`) + Number(`0.${fraction || '0'}`) * 1000;
}

/**
 * Parses the whole file. A truncated last line (k6 stopped mid-write) is skipped; any other line that is not a
 * Metric or Point object is an error naming the line.
 */
export function parseK6JsonOutput(text: string, file = 'k6 output'): K6Output {
  const metrics = new Map<string, K6MetricDeclaration>();
  const points: K6Point[] = [];
  const lines = text.split('\n');
  const lastIndex = lines.length - (lines.at(-1) === '' ? 2 : 1);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let entry: { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch (cause) {
      if (index === lastIndex) return;
      throw environmentError(
        'CQ_K6_OUTPUT_INVALID',
        `${file}:${index + 1}: not a JSON line of k6's output: ${(cause as Error).message}`,
        { cause, hint: 'The file must come from k6 run --out json=<file>.' },
      );
    }
    const data = entry.data ?? {};
    if (entry.type === 'Metric' && typeof entry.metric === 'string') {
      metrics.set(entry.metric, {
        name: entry.metric,
        type: data.type as K6MetricDeclaration['type'],
        contains: String(data.contains ?? 'default'),
        thresholds: Array.isArray(data.thresholds) ? (data.thresholds as string[]) : [],
      });
    } else if (entry.type === 'Point' && typeof entry.metric === 'string') {
      const timeMs = parseK6Time(String(data.time));
      if (!Number.isFinite(timeMs) || typeof data.value !== 'number') {
        throw environmentError(
          'CQ_K6_OUTPUT_INVALID',
          `${file}:${index + 1}: a Point without a valid time and numeric value`,
          { hint: 'The file must come from k6 run --out json=<file>.' },
        );
      }
      points.push({
        metric: entry.metric,
        timeMs,
        value: data.value,
        tags: (data.tags as Record<string, string> | null) ?? {},
      });
    } else {
      throw environmentError(
        'CQ_K6_OUTPUT_INVALID',
        `${file}:${index + 1}: expected {"type":"Metric"|"Point", "metric": …, "data": …}, got type ${JSON.stringify(entry.type)}`,
        { hint: 'The file must come from k6 run --out json=<file>.' },
      );
    }
  });
  return { metrics, points };
}
