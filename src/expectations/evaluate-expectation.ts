// Evaluates a parsed expectation against measured metrics: passed or not, with the actual value for people.
import { formatValue } from './format-value.ts';
import type { ComparisonOp, Expectation, ExpectationOutcome, MetricLookup } from './types.ts';

/** Relative tolerance for == and !=, so 0.1 + 0.2 == 0.3 and 5% == 0.05 hold. */
const equalityTolerance = 1e-9;

function nearlyEqual(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= equalityTolerance * Math.max(Math.abs(a), Math.abs(b));
}

export function compare(actual: number, op: ComparisonOp, threshold: number): boolean {
  switch (op) {
    case '<':
      return actual < threshold && !nearlyEqual(actual, threshold);
    case '<=':
      return actual <= threshold || nearlyEqual(actual, threshold);
    case '>':
      return actual > threshold && !nearlyEqual(actual, threshold);
    case '>=':
      return actual >= threshold || nearlyEqual(actual, threshold);
    case '==':
      return nearlyEqual(actual, threshold);
    case '!=':
      return !nearlyEqual(actual, threshold);
  }
}

/** Looks the metric up and compares; no data (undefined or NaN) always fails. */
export function evaluateExpectation(expectation: Expectation, lookup: MetricLookup): ExpectationOutcome {
  const actual = lookup(expectation.metric, expectation.labels);
  if (actual === undefined || Number.isNaN(actual)) {
    return { expression: expectation.text, actual: null, passed: false, actualText: 'no data' };
  }
  return {
    expression: expectation.text,
    actual,
    passed: compare(actual, expectation.op, expectation.value),
    actualText: formatValue(expectation.kind, actual),
  };
}
