// The parts of a journal that reporters read, as a zod schema: a journal that passes renders without a crash.
import { z } from 'zod';

const num = z.number();
const nullableNum = z.number().nullable();
const error = z.looseObject({ code: z.string(), message: z.string(), hint: z.string().optional() });
const httpStats = z.looseObject({ requests: num, errors: num, errorRate: num, rps: num, p50Ms: num, p99Ms: num });

const seriesPoint = z.looseObject({
  second: num,
  phase: z.string(),
  rps: num,
  errorRate: num,
  p50Ms: num,
  p99Ms: num,
  redis: z.looseObject({ usedMemory: num, maxmemory: num, evictedKeys: num }).nullable(),
  breakerState: nullableNum,
  sessions: z.looseObject({ checked: num, valid: num, lost: num, errors: num }).nullable(),
});

const experiment = z.looseObject({
  name: z.string(),
  target: z.looseObject({ name: z.string() }),
  status: z.enum(['passed', 'failed', 'aborted', 'error']),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMs: num,
  error: error.optional(),
  steps: z.array(z.looseObject({ name: z.string(), status: z.string(), durationMs: num })),
  phases: z.array(z.looseObject({ name: z.string(), startMs: num, endMs: num })),
  faults: z.array(
    z.looseObject({
      index: num,
      kind: z.string(),
      params: z.record(z.string(), z.unknown()),
      scheduledAtMs: num,
      status: z.string(),
    }),
  ),
  expectations: z.array(
    z.looseObject({ expression: z.string(), actual: nullableNum, actualText: z.string(), passed: z.boolean() }),
  ),
  steadyState: z.looseObject({
    before: z.array(z.looseObject({ name: z.string(), passed: z.boolean(), detail: z.string() })),
    after: z.array(z.looseObject({ name: z.string(), passed: z.boolean(), detail: z.string() })),
    deviated: z.boolean(),
  }),
  sessions: z.looseObject({
    created: num,
    valid: num,
    lost: num,
    errors: num,
    lostRate: num,
    lostUsers: z.array(z.string()),
    loginFailures: z.record(z.string(), num),
    errorReasons: z.record(z.string(), num),
  }),
  recovery: z.looseObject({ seconds: nullableNum }),
  metrics: z.record(z.string(), z.looseObject({ http: httpStats })),
  series: z.array(seriesPoint),
  environment: z.looseObject({
    runtime: z.string(),
    versions: z.record(z.string(), z.string()),
    redisConfig: z.record(z.string(), z.string()),
    proxy: z.string(),
    startedInMs: num,
    load: z.looseObject({ rateRps: num, timeoutMs: num }),
  }),
});

export const journalShape = z.looseObject({
  version: z.literal(1),
  runId: z.string(),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
  startedAt: z.string(),
  endedAt: z.string(),
  status: z.enum(['passed', 'failed', 'aborted', 'error', 'killed']),
  experiments: z.array(experiment),
  notes: z
    .array(
      z.looseObject({
        at: z.string(),
        text: z.string(),
        author: z.string().optional(),
        experiment: z.string().optional(),
        atMs: num.optional(),
      }),
    )
    .optional(),
  halt: z.looseObject({ at: z.string(), by: z.string(), from: z.string() }).optional(),
});
