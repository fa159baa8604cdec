// Which shard of a split run a journal holds and how the split was made, and which runs a merged journal came from.

export interface JournalShard {
  /** This shard, 1-based: shard `index` of `count`. */
  index: number;
  count: number;
  /** measured: longest first by durations from earlier journals (--durations); declared: by declared phase time. */
  rule: 'measured' | 'declared';
  /** The journal file or directory the measured durations were read from. */
  durationsFrom?: string;
  /** How many experiments the selection held, over all shards. */
  selectedCount: number;
  /** A digest of the whole split (every experiment and its shard): the same in every shard of one split. */
  planId: string;
  /**
   * This shard's experiments by name, with the weight that placed them, whether it was measured, and their position
   * in the whole selection (0-based), so a merge can put them back in the order one run would have.
   */
  experiments: { name: string; position: number; weightMs: number; measured: boolean }[];
}

/** A journal written by `cachequake merge`: the runs (shards) it was made from. */
export interface JournalMerge {
  from: { runId: string; file: string; shard?: { index: number; count: number }; experiments: number }[];
}
