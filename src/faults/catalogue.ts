// The fault catalogue: every kind with its implementation, group and description (what `cachequake list` prints).
import type { FaultImplementation } from './fault-implementation.ts';
import type { FaultKind } from './fault-schema.ts';
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
import { failoverShardFault, freezeShardFault, killShardFault, migrateSlotsFault } from './cluster-faults.ts';
import { commandCloseFault, commandDropFault, commandLatencyFault, redisErrorFault } from './redis-command-faults.ts';

export const faultCatalogue: { [K in FaultKind]: FaultImplementation<K> } = {
  latency: latencyFault,
  bandwidth: bandwidthFault,
  timeout: timeoutFault,
  'reset-peer': resetPeerFault,
  slicer: slicerFault,
  'limit-data': limitDataFault,
  'slow-close': slowCloseFault,
  outage: outageFault,
  flushall: flushallFault,
  flushdb: flushdbFault,
  'fill-memory': fillMemoryFault,
  maxmemory: maxmemoryFault,
  'config-set': configSetFault,
  'client-pause': clientPauseFault,
  freeze: freezeFault,
  kill: killFault,
  restart: restartFault,
  expire: expireFault,
  'client-kill': clientKillFault,
  maxclients: maxclientsFault,
  'redis-error': redisErrorFault,
  'command-latency': commandLatencyFault,
  'command-drop': commandDropFault,
  'command-close': commandCloseFault,
  failover: failoverFault,
  'kill-primary': killPrimaryFault,
  'freeze-primary': freezePrimaryFault,
  'kill-shard': killShardFault,
  'freeze-shard': freezeShardFault,
  'failover-shard': failoverShardFault,
  'migrate-slots': migrateSlotsFault,
};

export function faultImplementation<K extends FaultKind>(kind: K): FaultImplementation<K> {
  return faultCatalogue[kind];
}
