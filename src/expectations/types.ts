// The plain-data shapes of the expectation language: a parsed expectation, a metric's kind, an evaluation.

/**
 * What a metric measures, which fixes its canonical unit:
 * duration → milliseconds, seconds → seconds, ratio → a fraction 0..1, bytes → bytes,
 * count → a plain number, rate → per second.
 */
export type MetricKind = 'duration' | 'seconds' | 'ratio' | 'bytes' | 'count' | 'rate';

export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/**
 * A unit as written after a number: durations (`ms`, `s`), a percentage, sizes (1 kb = 1024 bytes, as in redis.conf).
 */
export type Unit = 'ms' | 's' | '%' | 'kb' | 'mb';

/** A parsed expectation: JSON-safe, so it can go into the journal as it is. */
export interface Expectation {
  /** The expression as written (trimmed). */
  text: string;
  metric: string;
  kind: MetricKind;
  /** `{}` means the whole run. */
  labels: Record<string, string>;
  op: ComparisonOp;
  /** The threshold in the metric's canonical unit (see MetricKind). */
  value: number;
  /** The unit as written, if any. */
  unit?: Unit;
  /** Abort expressions only: how long the condition must hold, in milliseconds. */
  forMs?: number;
}

/** Returns a metric's value for the labels (in its canonical unit), or undefined when there is no data. */
export type MetricLookup = (metric: string, labels: Readonly<Record<string, string>>) => number | undefined;

export interface ExpectationOutcome {
  expression: string;
  /**
   * The measured value in the metric's canonical unit; null when there was no data. May be Infinity (never recovered).
   */
  actual: number | null;
  passed: boolean;
  /** The measured value for people: "212 ms", "0.4%", "no data". */
  actualText: string;
}

export interface MetricLabel {
  name: string;
  /** The allowed values; absent means any value. */
  values?: readonly string[];
  description: string;
}

export interface MetricDefinition {
  /** The exact name, or `target.*` for the family of metrics the target exports. */
  name: string;
  kind: MetricKind;
  description: string;
  labels: readonly MetricLabel[];
  /** True when any label is accepted and passed through (target metrics' Prometheus labels). */
  anyLabels?: boolean;
}
