// What injecting a fault returns: the evidence that it happened, and a revert unless it cannot be undone.
export type Evidence = Record<string, unknown>;

export interface InjectedFault {
  evidence: Evidence;
  /** Undoes the fault and returns what shows it was undone; absent for one-shot faults (FLUSHALL cannot be undone). */
  revert?: () => Promise<Evidence>;
}
