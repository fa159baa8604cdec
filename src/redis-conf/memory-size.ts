// Reads a redis.conf memory value the way Redis does (memtoll): 1k = 1000, 1kb = 1024, 1m = 10⁶, 1mb = 2²⁰, 1g = 10⁹,
// 1gb = 2³⁰.

const multipliers: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/** Bytes for `text` (case-insensitive unit), or undefined when Redis would refuse it (`20gib`, `1.5gb`, `20 gb`). */
export function parseMemorySize(text: string): number | undefined {
  const match = /^(-?\d+)([a-zA-Z]*)$/.exec(text);
  if (!match) return undefined;
  const multiplier = multipliers[(match[2] ?? '').toLowerCase()];
  if (multiplier === undefined) return undefined;
  return Number(match[1]) * multiplier;
}

/** `21474836480` → `20.0 GiB (21474836480 bytes)`: both the readable and the exact form, for messages. */
export function describeBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]} (${bytes} bytes)`;
}

/** The accepted spellings, for hints. */
export const memoryUnitHint =
  'a whole number with an optional unit: b, k (1000), kb (1024), m (10⁶), mb (2²⁰), g (10⁹), gb (2³⁰), e.g. 20gb';
