// The journal: the versioned, plain-data record of a run that every reporter reads (and nothing else).
import type { ExitClass } from '../errors/index.ts';
import type { JournalCache } from './journal-cache.ts';
import type { ErrorsByClass, LoadStats } from './journal-load.ts';
import type { JournalSafety } from './journal-safety.ts';
import type { JournalMerge, JournalShard } from './journal-shard.ts';
import type { JournalParallel } from './journal-parallel.ts';
import type { WriteProbeResult } from './journal-writes.ts';

export const journalVersion = 1;

export type ExperimentStatus = 'passed' | 'failed' | 'aborted' | 'error';
export type StepStatus = 'succeeded' | 'failed' | 'skipped';

/** One step of a run, chaostoolkit-style. Times are ISO strings. */
export interface JournalStep {
  name: string;
  start: string;
  end: string;
  durationMs: number;
  status: StepStatus;
  output?: unknown;
  error?: JournalError;
}

export interface JournalError {
  /** A code of the error catalogue (src/errors/error-catalogue.ts, docs/errors.md) when this version wrote it. */
  code: string;
  /**
   * The code's exit class, stored so that readers need no catalogue: invalid-input, environment, deviated, aborted or
   * internal (additive: absent in journals written before it; read it with exitClassOf).
   */
  exitClass?: ExitClass;
  message: string;
  hint?: string;
  /** Only for internal errors (a cachequake bug). */
  stack?: string;
}

export interface JournalPhase {
  name: 'baseline' | 'fault' | 'recovery';
  /** Milliseconds from the start of the load (t = 0). */
  startMs: number;
  endMs: number;
  startedAt: string;
}

export interface JournalFault {
  index: number;
  /** The fault kind (`cachequake list` names them all). */
  kind: string;
  params: Record<string, unknown>;
  /** All times in ms from the start of the load. */
  scheduledAtMs: number;
  appliedAtMs?: number;
  /** appliedAtMs − scheduledAtMs: how late the fault took effect. */
  lagMs?: number;
  revertScheduledAtMs?: number;
  revertedAtMs?: number;
  /**
   * For a fault that cannot be undone (flushall, expire, kill …) `reverted` means only that the run is done with it;
   * reversible is then false and revertedAtMs is its appliedAtMs (additive: absent in older journals).
   */
  status: 'pending' | 'applied' | 'reverted' | 'failed' | 'not-reverted';
  /** false for a fault with nothing to undo: reports say "not reversible" and whether a key backup was restored. */
  reversible?: boolean;
  evidence?: Record<string, unknown>;
  revertEvidence?: Record<string, unknown>;
  error?: JournalError;
}

export interface JournalExpectation {
  expression: string;
  actual: number | null;
  actualText: string;
  passed: boolean;
}

export interface SteadyStateResult {
  name: string;
  path: string;
  status: number | null;
  passed: boolean;
  detail: string;
}

/**
 * One second of the run. The load's counts are of the requests scheduled in [second, second + 1) s; a chart draws them
 * at the end of that window, when they were known. The probe sample of the point (redis, breakerState, sessions) was
 * started in that second and is drawn at sampledAtMs, when its last answer arrived.
 */
export interface SeriesPoint {
  second: number;
  phase: string;
  requests: number;
  errors: number;
  unauthorized: number;
  /** The errors of this second by class: 401/403, 5xx, timeouts, connection errors, other (additive). */
  errorsByClass?: ErrorsByClass;
  /** requests / the ms the load ran in this second, recomputed from the counts (never a sum of rates). */
  rps: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
  redis: { usedMemory: number; maxmemory: number; evictedKeys: number; connectedClients: number; keys: number } | null;
  breakerState: number | null;
  sessions: { checked: number; valid: number; lost: number; errors: number } | null;
  /** Cache reads sampled in this second (additive: absent without a cache check). */
  cache?: { checked: number; stale: number; errors: number } | null;
  /**
   * ms from t = 0 when the sample of this point was complete (additive: older journals filed a sample taken at the
   * start of second s under s − 1 and have no sampledAtMs; read them as taken at (second + 1) · 1000).
   */
  sampledAtMs?: number;
}

export interface PhaseMetrics {
  http: LoadStats;
  redis: {
    evicted_keys: number;
    expired_keys: number;
    keyspace_misses: number;
    rejected_connections: number;
    used_memory: number;
  } | null;
}

export interface ExperimentJournal {
  name: string;
  description?: string;
  file?: string;
  target: { name: string; file?: string };
  status: ExperimentStatus;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  error?: JournalError;
  abort?: { reason: string; atMs?: number };
  steps: JournalStep[];
  phases: JournalPhase[];
  faults: JournalFault[];
  expectations: JournalExpectation[];
  steadyState: { before: SteadyStateResult[]; after: SteadyStateResult[]; deviated: boolean };
  sessions: {
    created: number;
    valid: number;
    /** Sessions valid before the faults that answered 401 at the end or to any check during the run. */
    lost: number;
    lostAtEnd?: number;
    /** Answered 401 during the run but valid again at the end: the user was still logged out. */
    loggedOutDuringRun?: number;
    errors: number;
    lostRate: number;
    loginFailures: Record<string, number>;
    lostUsers: string[];
    errorReasons: Record<string, number>;
  };
  /** The cache check (a target with a cache section; additive: absent otherwise and in older journals). */
  cache?: JournalCache;
  /** The write probe's count (redis.writeProbe); absent when it did not run. */
  writes?: JournalWrites;
  /**
   * The guard's basis, the config restored after the run, the keys backed up and restored (additive; absent in older
   * journals).
   */
  safety?: JournalSafety;
  recovery: { seconds: number | null; fromMs: number | null; bounds: { errorRate: number; p99Ms: number } | null };
  metrics: Record<string, PhaseMetrics>;
  series: SeriesPoint[];
  environment: {
    runtime: string;
    versions: Record<string, string>;
    redisConfig: Record<string, string>;
    proxy: string;
    startedInMs: number;
    load: { rateRps: number; timeoutMs: number };
    /** The pids the run started (Redis and PostgreSQL as first started). */
    processes?: { redis: number; postgres: number | null; target: number };
    /** The last lines the target printed (stdout and stderr), for finding out why it misbehaved. */
    targetLog?: string[];
  };
}

export interface Journal {
  version: typeof journalVersion;
  runId: string;
  tool: { name: 'cachequake'; version: string };
  startedAt: string;
  endedAt: string;
  /**
   * `killed`: the partial journal a run rewrites while it runs; a journal still saying so after the run is one whose
   * harness died (SIGKILL) before it could write the final one (`cachequake recover <run dir>` undoes its faults).
   */
  status: ExperimentStatus | 'killed';
  /** The shard this run held (`run --shard i/n`); additive, absent in an unsharded run. */
  shard?: JournalShard;
  /** How many experiments went at the same time and the CPU meanwhile; additive, absent in older journals. */
  parallel?: JournalParallel;
  /** The runs `cachequake merge` made this journal from; additive, absent in a journal a run wrote. */
  merged?: JournalMerge;
  experiments: ExperimentJournal[];
  /** Notes added while the run was watched (`run --live`); additive, absent when nobody added one. */
  notes?: JournalNote[];
  /** Who halted the run from the live view, and when; absent when nobody did. */
  halt?: JournalHalt;
}

/** A note on the timeline ("paged on-call"), added from the live view during a run. */
export interface JournalNote {
  /** ISO time the note was added. */
  at: string;
  text: string;
  author?: string;
  /** The experiment running when the note was added, and ms from its t = 0 (its load's start). */
  experiment?: string;
  atMs?: number;
}

/** A halt from the live view (`POST /halt`): the run was aborted as by Ctrl-C. */
export interface JournalHalt {
  /** ISO time of the halt. */
  at: string;
  /** The name the person gave, or `anonymous`. */
  by: string;
  /** The address the request came from. */
  from: string;
}

/**
 * Lost writes, Jepsen-style: unique values written through the proxies during the run, every acknowledged one read back
 * after.
 */
export interface JournalWrites extends WriteProbeResult {
  ratePerSecond: number;
}
