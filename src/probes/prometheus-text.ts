// Parses the Prometheus text exposition format into samples with their metric type, for target.* expectations.
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
}

const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): PromSample[] {
  const types = new Map<string, PromSample['type']>();
  const samples: PromSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const typed = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (typed) types.set(typed[1] as string, (typed[2] as PromSample['type']) ?? 'untyped');
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const name = match[1] as string;
    const labels: Record<string, string> = {};
    for (const m of (match[2] ?? '').matchAll(labelPattern))
      labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, '$1');
    const value = Number(match[3]);
    if (Number.isNaN(value)) continue;
    const family = types.get(name) ?? types.get(name.replace(/_(total|count|sum|bucket|created)$/, '')) ?? 'untyped';
    samples.push({ name, labels, value, type: family });
  }
  return samples;
}

/** A stable key for one series: `name{a="1",b="2"}` with labels sorted. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}
