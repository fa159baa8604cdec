// Units after a number and how each converts to the canonical unit of a metric's kind.
import type { MetricKind, Unit } from './types.ts';

export const allUnits: readonly Unit[] = ['ms', 's', '%', 'kb', 'mb'];

/** For each kind: the units it accepts and the factor to its canonical unit; `''` is a bare number. */
const factors: Record<MetricKind, Partial<Record<Unit | '', number>>> = {
  duration: { '': 1, ms: 1, s: 1000 },
  seconds: { '': 1, ms: 0.001, s: 1 },
  ratio: { '': 1, '%': 0.01 },
  bytes: { '': 1, kb: 1024, mb: 1024 * 1024 },
  count: { '': 1 },
  rate: { '': 1 },
};

export function isUnit(text: string): text is Unit {
  return (allUnits as readonly string[]).includes(text);
}

/** The factor that takes `unit` to the kind's canonical unit, or undefined when the unit does not fit the kind. */
export function unitFactor(kind: MetricKind, unit: Unit | undefined): number | undefined {
  return factors[kind][unit ?? ''];
}

/** The units a kind accepts, for messages: e.g. `ms, s or none`. */
export function unitsAllowedText(kind: MetricKind): string {
  const units = Object.keys(factors[kind]).filter((u) => u !== '');
  return units.length === 0 ? 'none (a plain number)' : `${units.join(', ')} or none`;
}

/** How to write a threshold of each kind, for hints. */
export const thresholdExamples: Record<MetricKind, string> = {
  duration: 'a duration, e.g. 250ms or 1.5s (a bare number is ms)',
  seconds: 'seconds, e.g. 5 or 5s (or 500ms)',
  ratio: 'a percentage, e.g. 1%, or a fraction, e.g. 0.01',
  bytes: 'a size, e.g. 512kb or 32mb (a bare number is bytes; 1 kb = 1024 bytes)',
  count: 'a plain number, e.g. 0',
  rate: 'a plain number of requests per second, e.g. 200',
};
