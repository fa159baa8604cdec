// The fault catalogue as a schema: every fault kind, its parameters with units and defaults, and when it runs.
import { z } from 'zod';
import { durationField, sizeField, sizeOrPercentField } from '../schema/quantities.ts';

const timing = {
  /** Offset into the fault phase. */
  at: durationField.optional().meta({ description: 'offset into the fault phase (default 0s)' }),
  /** How long the fault lasts; default: to the end of the fault phase. */
  for: durationField
    .optional()
    .meta({ description: 'how long the fault lasts (default: to the end of the fault phase)' }),
};
const link = z.enum(['redis', 'postgres']).default('redis').meta({ description: 'the link the fault acts on' });
const network = {
  ...timing,
  on: link,
  stream: z
    .enum(['downstream', 'upstream', 'both'])
    .default('downstream')
    .meta({ description: 'downstream = server → service, upstream = service → server' }),
  toxicity: z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .meta({ description: 'probability that a connection is affected (0..1)' }),
};

/**
 * The shard a cluster fault acts on: 0 … redis.shards − 1 (the group of nodes started together; replicas stay in it).
 */
const shard = {
  shard: z.number().int().min(0).max(15).default(0).meta({ description: 'the shard index, 0 … redis.shards − 1' }),
};

/** RESP rules on the Redis link (the embedded proxy's cachequake extension): which commands a fault acts on. */
const commandRule = {
  ...timing,
  commands: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: 'command names, e.g. [SET, EXPIRE] (empty: every command)' }),
  keys: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Redis glob on the first argument, e.g. "session:*" (default: any)' }),
  probability: z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .meta({ description: 'probability that a matching command is affected (0..1)' }),
};

export const faultSchemas = {
  latency: z.strictObject({
    kind: z.literal('latency'),
    ...network,
    latencyMs: z.number().int().nonnegative(),
    jitterMs: z.number().int().nonnegative().default(0),
  }),
  bandwidth: z.strictObject({ kind: z.literal('bandwidth'), ...network, rateKBps: z.number().int().positive() }),
  timeout: z.strictObject({
    kind: z.literal('timeout'),
    ...network,
    timeoutMs: z.number().int().nonnegative().default(0),
  }),
  'reset-peer': z.strictObject({
    kind: z.literal('reset-peer'),
    ...network,
    timeoutMs: z.number().int().nonnegative().default(0),
  }),
  slicer: z.strictObject({
    kind: z.literal('slicer'),
    ...network,
    averageSizeBytes: z.number().int().positive(),
    sizeVariationBytes: z.number().int().nonnegative().default(0),
    delayUs: z.number().int().nonnegative().default(0),
  }),
  'limit-data': z.strictObject({ kind: z.literal('limit-data'), ...network, bytes: z.number().int().nonnegative() }),
  'slow-close': z.strictObject({ kind: z.literal('slow-close'), ...network, delayMs: z.number().int().nonnegative() }),
  outage: z.strictObject({ kind: z.literal('outage'), ...timing, on: link }),

  flushall: z.strictObject({ kind: z.literal('flushall'), ...timing, mode: z.enum(['sync', 'async']).default('sync') }),
  flushdb: z.strictObject({
    kind: z.literal('flushdb'),
    ...timing,
    mode: z.enum(['sync', 'async']).default('sync'),
    db: z.number().int().min(0).max(15).default(0),
  }),
  'fill-memory': z.strictObject({
    kind: z.literal('fill-memory'),
    ...timing,
    to: sizeOrPercentField.prefault('150%'),
    valueSize: sizeField.prefault('10kb'),
    ttl: z.union([z.literal('none'), durationField]).default('none'),
    keyPrefix: z.string().min(1).default('cachequake:fill:'),
  }),
  maxmemory: z.strictObject({
    kind: z.literal('maxmemory'),
    ...timing,
    to: sizeField,
    policy: z
      .enum([
        'noeviction',
        'allkeys-lru',
        'allkeys-lfu',
        'allkeys-random',
        'volatile-lru',
        'volatile-lfu',
        'volatile-random',
        'volatile-ttl',
      ])
      .optional(),
  }),
  'config-set': z.strictObject({
    kind: z.literal('config-set'),
    ...timing,
    parameters: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .refine((p) => Object.keys(p).length > 0, 'give at least one parameter'),
  }),
  'client-pause': z.strictObject({
    kind: z.literal('client-pause'),
    ...timing,
    mode: z.enum(['write', 'all']).default('write'),
  }),
  freeze: z.strictObject({
    kind: z.literal('freeze'),
    ...timing,
    on: link,
    method: z.enum(['sigstop', 'debug-sleep']).default('sigstop'),
  }),
  kill: z.strictObject({
    kind: z.literal('kill'),
    ...timing,
    on: link,
    restart: z.boolean().default(true).meta({ description: 'start it again (same port and dir) when the fault ends' }),
  }),
  restart: z.strictObject({
    kind: z.literal('restart'),
    ...timing,
    on: link,
    save: z.boolean().default(false).meta({ description: 'SHUTDOWN SAVE instead of NOSAVE (Redis)' }),
  }),
  expire: z.strictObject({
    kind: z.literal('expire'),
    ...timing,
    pattern: z.string().min(1),
    ttlSeconds: z.number().int().nonnegative().default(0).meta({ description: '0 deletes the keys at once' }),
    maxKeys: z.number().int().positive().default(1_000_000),
  }),
  'client-kill': z.strictObject({
    kind: z.literal('client-kill'),
    ...timing,
    type: z.enum(['normal', 'pubsub', 'replica']).default('normal'),
  }),
  maxclients: z.strictObject({ kind: z.literal('maxclients'), ...timing, to: z.number().int().min(1) }),
  'redis-error': z.strictObject({
    kind: z.literal('redis-error'),
    ...commandRule,
    error: z
      .string()
      .min(1)
      .regex(/^[^\r\n]+$/)
      .default('OOM')
      .meta({
        description:
          'OOM, READONLY, LOADING, BUSY, MASTERDOWN, NOAUTH (the real Redis texts) or a full error text such as "ERR custom"',
      }),
  }),
  'command-latency': z.strictObject({
    kind: z.literal('command-latency'),
    ...commandRule,
    latencyMs: z.number().int().positive(),
  }),
  'command-drop': z.strictObject({ kind: z.literal('command-drop'), ...commandRule }),
  'command-close': z.strictObject({ kind: z.literal('command-close'), ...commandRule }),

  // redis.topology: sentinel only
  failover: z.strictObject({ kind: z.literal('failover'), ...timing }),
  'kill-primary': z.strictObject({
    kind: z.literal('kill-primary'),
    ...timing,
    restart: z
      .boolean()
      .default(true)
      .meta({ description: 'start it again (same port and dir) as a replica of the new primary when the fault ends' }),
  }),
  'freeze-primary': z.strictObject({ kind: z.literal('freeze-primary'), ...timing }),

  // redis.topology: cluster only
  'kill-shard': z.strictObject({
    kind: z.literal('kill-shard'),
    ...timing,
    ...shard,
    restart: z.boolean().default(true).meta({
      description: 'start the killed primary again (same port and dir) when the fault ends; it rejoins as a replica',
    }),
  }),
  'freeze-shard': z.strictObject({ kind: z.literal('freeze-shard'), ...timing, ...shard }),
  'failover-shard': z.strictObject({
    kind: z.literal('failover-shard'),
    ...timing,
    ...shard,
    mode: z
      .enum(['default', 'force', 'takeover'])
      .default('default')
      .meta({ description: 'CLUSTER FAILOVER [FORCE|TAKEOVER] on the replica' }),
  }),
  'migrate-slots': z.strictObject({
    kind: z.literal('migrate-slots'),
    ...timing,
    ...shard,
    to: z.number().int().min(0).max(15).meta({ description: 'the shard that receives the slots' }),
    slots: z
      .number()
      .int()
      .min(1)
      .max(16384)
      .default(16)
      .meta({ description: 'how many slots to move (the lowest the source serves)' }),
    hold: durationField.prefault('100ms').meta({
      description: 'how long each slot stays MIGRATING (clients get ASK) before SETSLOT NODE (clients get MOVED)',
    }),
    back: z.boolean().default(true).meta({ description: 'move the slots back when the fault ends' }),
  }),
} as const;

export type FaultKind = keyof typeof faultSchemas;

/** Fault kinds that act through Sentinel: they need redis.topology: sentinel. */
export const sentinelFaultKinds: readonly FaultKind[] = ['failover', 'kill-primary', 'freeze-primary'];
/** Fault kinds that act on a Redis Cluster shard: they need redis.topology: cluster. */
export const clusterFaultKinds: readonly FaultKind[] = [
  'kill-shard',
  'freeze-shard',
  'failover-shard',
  'migrate-slots',
];
export const faultKinds = Object.keys(faultSchemas) as FaultKind[];

export const faultSchema = z.discriminatedUnion(
  'kind',
  Object.values(faultSchemas) as unknown as [typeof faultSchemas.latency, ...(typeof faultSchemas)[FaultKind][]],
);

export type FaultSpec = z.output<typeof faultSchema>;
export type FaultSpecOf<K extends FaultKind> = z.output<(typeof faultSchemas)[K]>;
