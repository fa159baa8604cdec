// k6's own thresholds from its --summary-export file, where (a documented quirk of that legacy format) `true` means
// crossed.
export interface K6Threshold {
  metric: string;
  expression: string;
  passed: boolean;
}

/** `{ metrics: { http_req_duration: { thresholds: { "p(95)<500": false } } } }` → one entry per threshold. */
export function k6Thresholds(summary: unknown): K6Threshold[] {
  const metrics =
    (summary as { metrics?: Record<string, { thresholds?: Record<string, unknown> }> } | null)?.metrics ?? {};
  const out: K6Threshold[] = [];
  for (const [metric, values] of Object.entries(metrics)) {
    for (const [expression, crossed] of Object.entries(values.thresholds ?? {})) {
      // handleSummary-style data ({ ok: boolean }) is accepted too
      const ok =
        typeof crossed === 'object' && crossed !== null && 'ok' in crossed
          ? Boolean((crossed as { ok: unknown }).ok)
          : crossed === false;
      out.push({ metric, expression, passed: ok });
    }
  }
  return out.sort((a, b) => `${a.metric} ${a.expression}`.localeCompare(`${b.metric} ${b.expression}`));
}
