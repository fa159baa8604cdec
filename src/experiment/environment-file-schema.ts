// The staging environment file: where the target, Toxiproxy, Redis and the metrics are, which faults may run, and the
// guard.
import { z } from 'zod';
import { faultKinds } from '../faults/fault-schema.ts';

const httpUrl = z.url({ protocol: /^https?$/ }).meta({ description: 'an http(s) URL' });

export const environmentFileSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dot, dash and underscore')
    .meta({ description: 'names the environment in journals and reports' }),
  description: z.string().optional(),
  target: z.strictObject({
    url: httpUrl.meta({ description: 'where the service under test answers, e.g. http://127.0.0.1:3000' }),
  }),
  toxiproxy: z.strictObject({
    url: httpUrl.meta({ description: 'the Toxiproxy API, e.g. http://127.0.0.1:8474' }),
    proxies: z
      .strictObject({
        redis: z.string().min(1).meta({ description: 'the proxy between the target and Redis' }),
        postgres: z
          .string()
          .min(1)
          .optional()
          .meta({ description: 'the proxy between the target and PostgreSQL (needed for faults on: postgres)' }),
      })
      .meta({
        description: 'the names of existing proxies; cachequake adds and removes toxics on them and never deletes them',
      }),
  }),
  redis: z.strictObject({
    adminUrl: z
      .string()
      .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
      .meta({
        description:
          'straight to the Redis server (not through the proxy): INFO for probes, and the permitted Redis faults',
      }),
    instance: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'the allowed-instance name: destructive faults need --allow-destructive <this name>' }),
    markerKey: z
      .string()
      .min(1)
      .default('cachequake:game-day')
      .meta({ description: 'a key whose value is the instance name, set when the game day was prepared' }),
    maxKeys: z.number().int().positive().optional().meta({
      description: 'without the marker key, destructive faults run only while the instance holds fewer keys than this',
    }),
  }),
  metrics: z
    .strictObject({
      url: httpUrl.meta({ description: "the target's Prometheus metrics, e.g. http://127.0.0.1:3000/metrics" }),
    })
    .optional(),
  permit: z
    .array(z.enum(faultKinds as [string, ...string[]]))
    .min(1)
    .meta({ description: 'the fault kinds that may run here; any other is refused before anything is sent' }),
});

export type EnvironmentFile = z.output<typeof environmentFileSchema>;

/** A loaded environment file and where it came from. */
export interface LoadedEnvironmentFile {
  file: string;
  environment: EnvironmentFile;
}
