// The journal's cache block: the target's cache read path read for every id at baseline, sampled and read again at the
// end; stale ids are those whose answer differed from the baseline one.
export interface JournalCache {
  /** `GET /products/{{id}}`. */
  path: string;
  /** Ids that answered 2xx at baseline: the ones compared afterwards. */
  ids: number;
  /** Ids that did not answer 2xx at baseline, by reason. */
  baselineFailures: Record<string, number>;
  /** Reads compared with the baseline (during the run and at the end). */
  reads: number;
  /** Ids that answered differently from the baseline at least once. */
  stale: number;
  /** Ids whose answer at the end differs from the baseline. */
  staleAtEnd: number;
  /** Ids whose read at the end failed (5xx, timeout, no connection). */
  errors: number;
  /** Up to 20 stale ids. */
  staleIds: number[];
  /** Up to 3 stale ids with the baseline answer and the first different one (status and body, 200 characters). */
  staleExamples: { id: number; baseline: string; seen: string }[];
  errorReasons: Record<string, number>;
}
