// What a fault kind implements: plan for --dry-run, inject with evidence, and an optional revert.
import type { FaultContext } from '../runtimes/fault-context.ts';
import type { FaultKind, FaultSpecOf } from './fault-schema.ts';

export type Evidence = Record<string, unknown>;

export interface InjectedFault {
  evidence: Evidence;
  /** Undoes the fault and returns what shows it was undone; absent for one-shot faults (FLUSHALL cannot be undone). */
  revert?: () => Promise<Evidence>;
}

export interface FaultImplementation<K extends FaultKind> {
  kind: K;
  group: 'network' | 'redis' | 'process';
  description: string;
  /** What it will send, in order, for --dry-run. */
  plan(spec: FaultSpecOf<K>, durationMs: number): string[];
  inject(ctx: FaultContext, spec: FaultSpecOf<K>, durationMs: number): Promise<InjectedFault>;
}
