// What one fault kind is: its parameters (zod), its traits, its cross-checks and its behaviour — one record per kind.
import { z } from 'zod';
import type { FaultContext } from '../runtimes/fault-context.ts';
import type { RedisTopology } from '../runtimes/topology/topology-options.ts';
import type { InjectedFault } from './fault-implementation.ts';

/** What a fault acts on: a proxy link, Redis through an admin connection, or a server's process. */
export type FaultGroup = 'network' | 'redis' | 'process';

/** The Redis topology a fault needs: any, or one it acts through (Sentinel) or on (a Cluster shard). */
export type FaultTopology = 'any' | 'sentinel' | 'cluster';

/** The keys a fault deletes or evicts (what `backup:` saves first). */
export interface KeyScope {
  /** undefined: every database that holds keys. */
  db?: number;
  pattern: string;
  /** The fault itself stops after this many keys (expire's maxKeys). */
  limit?: number;
  why: string;
}

/**
 * A fault that signals or restarts the server: the staging runtime (which runs no server) refuses it, and the docker
 * runtime refuses it unless the record says how it is done to the server's container.
 */
export interface ProcessNeed<S> {
  /** When it needs the process; absent: always. */
  when?: (spec: S) => boolean;
  /** How a refusal names what needs it (default: the kind), e.g. "freeze with method sigstop". */
  what?: string;
  /** The change to the fault that needs only a Redis connection, e.g. "Use method: debug-sleep". */
  instead?: string;
  /**
   * How the docker runtime does it to the server's container (e.g. "docker kill -s KILL, then docker start"); absent:
   * the docker runtime refuses it before anything starts.
   */
  container?: string;
}

export interface FaultTraits<S> {
  /**
   * Changes data, config, clients or a process, so the guard stands before it (on Redis); toxics and rules on a link
   * change nothing in the server.
   */
  destructive: boolean;
  /** Absent: it needs only the links and a Redis connection. */
  needsProcess?: ProcessNeed<S>;
  topology: FaultTopology;
  /** The keys it deletes or evicts: `text` for the docs, `scope` for `backup:` (undefined: none for this spec). */
  keys?: { text: string; scope: (spec: S, adminDb: number) => KeyScope | undefined };
}

/** What a fault's cross-checks see of the experiment: the topology with its defaults, and the redis: section. */
export interface FaultCheckContext {
  topology: RedisTopology;
  redis: { config?: Record<string, unknown>; configFile?: string };
}

/**
 * A spec as a cross-check gets it: Zod runs the experiment's checks even when a field failed a check of its own (a
 * number past its maximum), so every field is read as unknown.
 */
export type LooseSpec<S> = { readonly [P in keyof S]?: unknown };

export interface FaultRecord<K extends string = string, S = unknown> {
  kind: K;
  /** Its parameters as a strict object with `kind`; the experiment schema's union is made of these. */
  schema: z.ZodType<S>;
  group: FaultGroup;
  /** One line for `cachequake list` and docs/faults.md. */
  description: string;
  traits: FaultTraits<S>;
  /**
   * Cross-checks against the rest of the experiment (run only when the topology fits): `issue(field, message)` reports
   * a problem with faults[i].<field>.
   */
  validate?(spec: LooseSpec<S>, context: FaultCheckContext, issue: (field: string, message: string) => void): void;
  /** What it will send, in order, for --dry-run. */
  plan(spec: S, durationMs: number): string[];
  /** Applies the fault and returns its evidence and, unless it cannot be undone, its revert. */
  inject(ctx: FaultContext, spec: S, durationMs: number): Promise<InjectedFault>;
}

/** A record as written: `params` instead of the schema, which `defineFault` makes (a strict object led by `kind`). */
export type FaultDefinition<K extends string, P extends z.ZodRawShape> = Omit<
  FaultRecord<K, z.output<FaultObject<K, P>>>,
  'schema'
> & { params: P };

export type FaultObject<K extends string, P extends z.ZodRawShape> = z.ZodObject<
  { kind: z.ZodLiteral<K> } & P,
  z.core.$strict
>;

/** Builds a fault record: its schema is `{ kind: <kind>, ...params }`, strict. */
export function defineFault<K extends string, P extends z.ZodRawShape>(
  definition: FaultDefinition<K, P>,
): FaultRecord<K, z.output<FaultObject<K, P>>> & { schema: FaultObject<K, P> } {
  const { params, ...record } = definition;
  const schema = z.strictObject({ kind: z.literal(definition.kind), ...params }) as unknown as FaultObject<K, P>;
  return { ...record, schema };
}
