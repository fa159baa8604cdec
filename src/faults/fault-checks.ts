// A fault's cross-checks against the rest of its experiment: the topology its record needs, then the record's own.
import { findFaultRecord } from './catalogue.ts';
import type { FaultCheckContext, FaultTopology } from './fault-record.ts';

const actsThrough: Record<Exclude<FaultTopology, 'any'>, string> = {
  sentinel: 'acts through Sentinel',
  cluster: 'acts on a Redis Cluster shard',
};

/**
 * Reports what is wrong with one fault (raw input: its fields may have failed their own checks) in this experiment;
 * `issue(field, message)` names faults[i].<field>.
 */
export function checkFault(
  fault: { kind?: unknown },
  context: FaultCheckContext,
  issue: (field: string, message: string) => void,
): void {
  const record = findFaultRecord(fault.kind);
  if (!record) return;
  const needs = record.traits.topology;
  if (needs !== 'any' && context.topology.kind !== needs) {
    issue(
      'kind',
      `${record.kind} ${actsThrough[needs]} and needs redis.topology: ${needs} (this experiment runs ${context.topology.kind}); set it, or use kill/freeze on: redis`,
    );
    return;
  }
  record.validate?.(fault, context, issue);
}
