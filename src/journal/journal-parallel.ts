// How many experiments of a run went at the same time, why, and how busy the machine was meanwhile.

/** The machine's CPU while the run went on, sampled once a second over all cores. */
export interface JournalCpu {
  /** Seconds sampled. */
  samples: number;
  /** The busy share over the whole run, percent of all cores. */
  busyMeanPct: number;
  /** The busiest one-second sample, percent of all cores. */
  busyMaxPct: number;
  /** What was left idle in that busiest second, percent of all cores. */
  headroomMinPct: number;
}

export interface JournalParallel {
  /** What was asked for: --parallel N, or auto. */
  requested: 'auto' | number;
  /** At most this many experiments at the same time. */
  level: number;
  /** auto: the cores the experiments shared; each started when its expected share fitted beside those running. */
  budgetCores?: number;
  /** The most that did run at the same time. */
  maxAtOnce?: number;
  /** The cores of the machine (os.availableParallelism()). */
  cores: number;
  /** Why this level (auto). */
  reason?: string;
  /** Observed; absent when the run was shorter than a second. */
  cpu?: JournalCpu;
}
