// The expectation language: parse `metric{labels} op number[unit]`, evaluate it, format values; the metric catalogue.
export { parseExpectation } from './parse-expectation.ts';
export type { ParseExpectationOptions } from './parse-expectation.ts';
export { evaluateExpectation, compare } from './evaluate-expectation.ts';
export { formatValue, formatNumber } from './format-value.ts';
export { metricCatalogue, findMetric, phaseNames } from './metric-catalogue.ts';
export { isExpectationError, expectationInvalidCode } from './expectation-error.ts';
export type { ExpectationError } from './expectation-error.ts';
export type {
  ComparisonOp,
  Expectation,
  ExpectationOutcome,
  MetricDefinition,
  MetricKind,
  MetricLabel,
  MetricLookup,
  Unit,
} from './types.ts';
