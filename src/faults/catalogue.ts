// The fault catalogue: every fault kind's record, in the order `cachequake list`, docs/faults.md and the JSON Schema show
// them. The union, the traits' views, the list and the docs all read this array; a new kind is a record plus a line here.
import type { FaultRecord } from './fault-record.ts';
import {
  bandwidthFault,
  latencyFault,
  limitDataFault,
  outageFault,
  resetPeerFault,
  slicerFault,
  slowCloseFault,
  timeoutFault,
} from './network-faults.ts';
import { expireFault, fillMemoryFault, flushallFault, flushdbFault } from './redis-data-faults.ts';
import { configSetFault, maxclientsFault, maxmemoryFault } from './redis-config-faults.ts';
import { clientKillFault, clientPauseFault } from './redis-client-faults.ts';
import { freezeFault, killFault, restartFault } from './process-faults.ts';
import { failoverFault, freezePrimaryFault, killPrimaryFault } from './sentinel-faults.ts';
import { failoverShardFault, freezeShardFault, killShardFault } from './cluster-faults.ts';
import { migrateSlotsFault } from './migrate-slots-fault.ts';
import { commandCloseFault, commandDropFault, commandLatencyFault, redisErrorFault } from './redis-command-faults.ts';
import type { FaultSpecOf } from './fault-schema.ts';

export const faultRecords = [
  latencyFault,
  bandwidthFault,
  timeoutFault,
  resetPeerFault,
  slicerFault,
  limitDataFault,
  slowCloseFault,
  outageFault,
  flushallFault,
  flushdbFault,
  fillMemoryFault,
  maxmemoryFault,
  configSetFault,
  clientPauseFault,
  freezeFault,
  killFault,
  restartFault,
  expireFault,
  clientKillFault,
  maxclientsFault,
  redisErrorFault,
  commandLatencyFault,
  commandDropFault,
  commandCloseFault,
  failoverFault,
  killPrimaryFault,
  freezePrimaryFault,
  killShardFault,
  freezeShardFault,
  failoverShardFault,
  migrateSlotsFault,
] as const;

export type AnyFaultRecord = (typeof faultRecords)[number];
export type FaultKind = AnyFaultRecord['kind'];
export type FaultRecordOf<K extends FaultKind> = Extract<AnyFaultRecord, { kind: K }>;

const byKind = new Map<string, AnyFaultRecord>(faultRecords.map((record) => [record.kind, record]));

/** The record of a kind; for a union of kinds, one whose plan and inject take any spec of them. */
export function faultRecord<K extends FaultKind>(kind: K): FaultRecord<K, FaultSpecOf<K>> {
  return byKind.get(kind) as unknown as FaultRecord<K, FaultSpecOf<K>>;
}

/** The record of a kind read from input (it may be no kind at all). */
export function findFaultRecord(kind: unknown): FaultRecord<FaultKind, FaultSpecOf<FaultKind>> | undefined {
  return typeof kind === 'string' ? (byKind.get(kind) as FaultRecord<FaultKind, FaultSpecOf<FaultKind>>) : undefined;
}

/** A kind's record, by the name the engine and the fault tests use for its behaviour (plan, inject). */
export const faultImplementation = faultRecord;
