// The experiment file format: what to start, whom to log in, the load, the phases, the faults and what must hold.
import { z } from 'zod';
import { isExpectationError, parseExpectation } from '../expectations/index.ts';
import { faultSchema } from '../faults/fault-schema.ts';
import { checkFault } from '../faults/fault-checks.ts';
import { durationField } from '../schema/quantities.ts';
import { backupSchema } from './backup-schema.ts';
import { topologyOf } from './redis-topology.ts';

function expressionList(allowFor: boolean, what: string) {
  return z
    .array(z.string())
    .superRefine((items, ctx) => {
      items.forEach((text, index) => {
        try {
          parseExpectation(text, { allowFor });
        } catch (error) {
          if (!isExpectationError(error)) throw error;
          ctx.addIssue({
            code: 'custom',
            path: [index],
            message: `${error.message}${error.hint ? `\n${error.hint}` : ''}`,
          });
        }
      });
    })
    .meta({ description: what });
}

const steadyStateProbe = z.strictObject({
  name: z.string().optional(),
  get: z.string().startsWith('/').meta({ description: 'a path on the target, e.g. /health' }),
  status: z
    .union([z.number().int(), z.array(z.number().int())])
    .default(200)
    .meta({ description: 'the expected HTTP status (or list)' }),
  bodyContains: z.string().optional(),
});

const scalar = z.union([z.string(), z.number()]);

export const experimentSchema = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
        'use letters, digits, dot, dash and underscore (it names the report files)',
      ),
    description: z.string().optional(),
    target: z
      .string()
      .default('session-service')
      .meta({ description: 'a bundled target name (a folder of targets/) or a path to a target.yaml' }),
    runtime: z.enum(['local', 'docker']).default('local').meta({
      description: 'where services run: local child processes, or containers (testcontainers; needs a Docker engine)',
    }),
    redis: z
      .strictObject({
        config: z
          .record(z.string(), scalar)
          .default({})
          .meta({ description: 'redis.conf directives, e.g. { maxmemory: 32mb, maxmemory-policy: allkeys-lru }' }),
        configFile: z
          .string()
          .optional()
          .meta({ description: 'a redis.conf file (relative to the experiment file); config overrides it' }),
        persistence: z.strictObject({ rdb: z.boolean().default(false), aof: z.boolean().default(false) }).optional(),
        topology: z.enum(['single', 'sentinel', 'cluster']).default('single').meta({
          description:
            'single: one redis-server; sentinel: a primary, replicas and sentinels; cluster: a local Redis Cluster (local runtime only)',
        }),
        replicas: z
          .number()
          .int()
          .min(0)
          .max(5)
          .optional()
          .meta({ description: 'replicas per primary (sentinel: default 1, at least 1; cluster: default 1)' }),
        sentinels: z
          .number()
          .int()
          .min(1)
          .max(5)
          .optional()
          .meta({ description: 'sentinel processes (topology: sentinel; default 1, quorum = majority)' }),
        downAfter: durationField.optional().meta({
          description:
            'sentinel down-after-milliseconds (topology: sentinel; default 1s: a failover in about 1-2 s; 500ms fails over faster but flapped under load here)',
        }),
        shards: z
          .number()
          .int()
          .min(3)
          .max(16)
          .optional()
          .meta({ description: 'primaries of the cluster (topology: cluster; default 3)' }),
        writeProbe: z
          .union([
            z.boolean(),
            z.strictObject({
              rate: z.number().min(1).max(1000).default(50).meta({ description: 'probe writes per second' }),
            }),
          ])
          .optional()
          .meta({
            description:
              'write unique values through the proxies during the run and read every acknowledged one back after (metrics writes.*); default: on for sentinel and cluster at 50/s',
          }),
      })
      .default({ config: {}, topology: 'single' }),
    postgres: z
      .boolean()
      .optional()
      .meta({ description: 'start PostgreSQL (default: when the target uses {{postgres.*}})' }),
    sessions: z
      .strictObject({
        users: z
          .number()
          .int()
          .min(0)
          .max(100_000)
          .default(200)
          .meta({ description: 'users logged in before any fault (the session ledger)' }),
        rememberMe: z
          .number()
          .min(0)
          .max(1)
          .default(0.5)
          .meta({ description: 'share of users who tick "remember me"' }),
        samplePerSecond: z
          .number()
          .int()
          .min(0)
          .max(1000)
          .default(20)
          .meta({ description: 'ledger sessions checked every second during the run' }),
        concurrency: z.number().int().min(1).max(200).default(20),
      })
      .default({ users: 200, rememberMe: 0.5, samplePerSecond: 20, concurrency: 20 }),
    cache: z
      .strictObject({
        samplePerSecond: z
          .number()
          .int()
          .min(0)
          .max(1000)
          .default(20)
          .meta({ description: 'ids of the target cache read path read every second during the run' }),
        concurrency: z.number().int().min(1).max(200).default(20),
      })
      .default({ samplePerSecond: 20, concurrency: 20 })
      .meta({ description: 'the cache check, for a target with a cache section (metrics cache.*)' }),
    load: z
      .strictObject({
        rate: z
          .number()
          .min(0)
          .max(20_000)
          .default(100)
          .meta({ description: 'requests per second, open model, the target traffic mix' }),
        timeout: durationField.prefault('2s'),
        maxInFlight: z.number().int().min(1).max(20_000).default(1000),
        driver: z.enum(['builtin', 'k6']).default('builtin').meta({
          description: 'builtin: the open-model driver in cachequake; k6: `k6 run` of your script (k6 on PATH)',
        }),
        script: z
          .string()
          .optional()
          .meta({ description: 'the k6 script (relative to the experiment file); required with driver: k6' }),
      })
      .refine((load) => load.driver !== 'k6' || load.script !== undefined, {
        message: 'driver: k6 needs a script, e.g. script: ./load.k6.js',
        path: ['script'],
      })
      .prefault({}),
    phases: z
      .strictObject({
        baseline: durationField.prefault('5s'),
        fault: durationField.prefault('20s'),
        recovery: durationField.prefault('10s'),
      })
      .prefault({}),
    faults: z.array(faultSchema).default([]),
    expect: expressionList(false, 'expectations: metric{label=value} op number[unit]').default([]),
    steadyState: z.array(steadyStateProbe).optional().meta({
      description:
        "HTTP probes checked before the faults and after recovery; default: GET the target's health.path, 200",
    }),
    abort: expressionList(true, 'abort conditions, e.g. "http.error_rate > 50% for 10s"').default([]),
    backup: backupSchema.optional(),
  })
  .superRefine((experiment, ctx) => {
    // Zod runs this even when fields failed their own checks; those keep their raw input, so check shapes first.
    const faultMs = experiment.phases?.fault;
    if (!Array.isArray(experiment.faults) || typeof faultMs !== 'number') return;
    const redis = experiment.redis;
    if (redis && typeof redis === 'object') {
      const only = (field: 'sentinels' | 'downAfter' | 'shards', topology: 'sentinel' | 'cluster') => {
        if (redis[field] !== undefined && redis.topology !== topology)
          ctx.addIssue({
            code: 'custom',
            path: ['redis', field],
            message: `${field} applies only to topology: ${topology}; remove it or set redis.topology: ${topology}`,
          });
      };
      only('sentinels', 'sentinel');
      only('downAfter', 'sentinel');
      only('shards', 'cluster');
      if (redis.replicas !== undefined && redis.topology === 'single')
        ctx.addIssue({
          code: 'custom',
          path: ['redis', 'replicas'],
          message: 'replicas need redis.topology: sentinel or cluster (a single Redis has none)',
        });
      if (redis.replicas === 0 && redis.topology === 'sentinel')
        ctx.addIssue({
          code: 'custom',
          path: ['redis', 'replicas'],
          message: 'Sentinel needs at least one replica to promote; set replicas: 1 or more',
        });
    }
    const section = redis && typeof redis === 'object' ? redis : undefined;
    const setting = { topology: topologyOf(section ?? { topology: 'single' }), redis: section ?? {} };
    experiment.faults.forEach((fault, index) => {
      if (typeof fault !== 'object' || fault === null) return;
      const at = fault.at ?? 0;
      if (typeof at !== 'number' || (fault.for !== undefined && typeof fault.for !== 'number')) return;
      if (at >= faultMs) {
        ctx.addIssue({
          code: 'custom',
          path: ['faults', index, 'at'],
          message: `starts at ${at}ms, after the fault phase ends (${faultMs}ms); use an offset below phases.fault`,
        });
      } else if (fault.for !== undefined && at + fault.for > faultMs) {
        ctx.addIssue({
          code: 'custom',
          path: ['faults', index, 'for'],
          message: `at + for = ${at + fault.for}ms runs past the fault phase (${faultMs}ms); shorten it or lengthen phases.fault`,
        });
      }
      // the topology the fault's record needs, then the record's own checks (shards, DEBUG SLEEP, maxmemory …)
      checkFault(fault, setting, (field, message) =>
        ctx.addIssue({ code: 'custom', path: ['faults', index, field], message }),
      );
    });
  });

export type Experiment = z.output<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;
export type SteadyStateProbe = z.output<typeof steadyStateProbe>;
