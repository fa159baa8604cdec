// The open-model HTTP load driver: start it, change its rate, read live snapshots and the JSON-safe result.
export { startLoad } from './load-driver.ts';
export { bearerToken, loadInvalidCode } from './load-options.ts';
export { classifyStatus, classifyError, reasons as loadErrorReasons } from './classify-outcome.ts';
export { LoadAggregator } from './load-aggregator.ts';
export { errorsByClass, outcomeClassOf, outcomeClasses } from './outcome-classes.ts';
export type { ErrorsByClass, OutcomeClass, OutcomeClassInfo } from './outcome-classes.ts';
export type { AggregatorOptions } from './load-aggregator.ts';
export type {
  AttachToken,
  LoadEndReason,
  LoadOptions,
  LoadResult,
  LoadSeriesPoint,
  LoadSnapshot,
  LoadStats,
  RunningLoad,
  TrafficRoute,
} from './types.ts';
