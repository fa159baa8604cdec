// The zod schema of targets/<name>/target.yaml: how to start a service, check its health, log users in and load it.
import { z } from 'zod';
import { cacheSchema } from './cache-read-schema.ts';
import {
  environmentPlaceholders,
  loginPlaceholders,
  placeholdersIn,
  requestPlaceholders,
  trafficPathPlaceholders,
} from './placeholders.ts';
import { templated, templatedJson } from './templated-string.ts';

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
const httpMethod = z.enum(httpMethods);
const urlPath = z.string().startsWith('/', 'must start with "/"').describe('A request path, e.g. /session');
const requestPath = templated(requestPlaceholders, 'a request path', urlPath);
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header or cookie name');
const headers = z.record(z.string(), z.string()).describe('Extra request headers');
const envValue = z
  .union([z.string(), z.number(), z.boolean()])
  .transform(String)
  .pipe(templated(environmentPlaceholders, 'env'));

/** Where the login response carries the session token. */
export const tokenSourceSchema = z
  .discriminatedUnion('from', [
    z.strictObject({
      from: z.literal('json'),
      field: z.string().min(1).describe('Dot path into the JSON body, e.g. token or data.session.id'),
    }),
    z.strictObject({ from: z.literal('cookie'), name: headerName.describe('The Set-Cookie name, e.g. sid') }),
    z.strictObject({
      from: z.literal('header'),
      name: headerName.describe('The response header, e.g. x-session-token'),
    }),
  ])
  .describe('Where to read the session token from the login response');

/** How a request carries the session token. */
export const tokenCarrierSchema = z
  .discriminatedUnion('in', [
    z.strictObject({ in: z.literal('bearer') }).describe('Authorization: Bearer <token>'),
    z.strictObject({ in: z.literal('cookie'), name: headerName }).describe('Cookie: <name>=<token>'),
    z.strictObject({ in: z.literal('header'), name: headerName }).describe('<name>: <token>'),
  ])
  .describe('How to send the session token');

export const loginSchema = z.strictObject({
  method: httpMethod.default('POST'),
  path: templated(loginPlaceholders, 'the login path', urlPath),
  format: z.enum(['json', 'form']).default('json').describe('How the body is encoded'),
  body: z
    .record(z.string(), templatedJson(loginPlaceholders, 'the login body'))
    .default({})
    .describe('Body template; {{user}}, {{password}}, {{rememberMe}} are filled per user'),
  headers: z.record(z.string(), templated(loginPlaceholders, 'login headers')).optional(),
  token: tokenSourceSchema,
  /** Status codes that mean "logged in"; default any 2xx. */
  okStatus: z.array(z.int().min(100).max(599)).optional(),
});

export const checkSchema = z
  .strictObject({
    method: httpMethod.default('GET'),
    path: requestPath,
    headers: headers.optional(),
  })
  .describe('2xx: the session is valid; 401: lost; anything else: an error');

export const sessionSchema = z.strictObject({
  login: loginSchema,
  check: checkSchema,
  logout: z.strictObject({ method: httpMethod.default('POST'), path: requestPath }).optional(),
  /** How every authenticated request (check, logout, traffic) carries the token. */
  token: tokenCarrierSchema,
});

export const trafficEntrySchema = z.strictObject({
  name: z.string().min(1).optional().describe('A label for reports; default "METHOD path"'),
  method: httpMethod.default('GET'),
  path: templated(trafficPathPlaceholders, 'a traffic path', urlPath).describe(
    'A request path; {{user}} is a ledger user, {{id}} every id of cache.ids in turn',
  ),
  auth: z.boolean().default(false).describe('Send a ledger session token (needs a session section)'),
  weight: z.number().positive().default(1).describe('Relative share of the load'),
  body: templatedJson(requestPlaceholders, 'a traffic body').optional().describe('A JSON body; {{user}} is filled in'),
});

export const targetManifestSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors'),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case (a-z, 0-9, -)'),
    description: z.string().optional(),
    command: templated(environmentPlaceholders, 'the command', z.string().min(1)).describe(
      'The executable; `node` means the Node running cachequake',
    ),
    args: z.array(templated(environmentPlaceholders, 'args')).default([]),
    cwd: templated(environmentPlaceholders, 'cwd').default('.').describe('Working directory, relative to the manifest'),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'), envValue)
      .default({}),
    health: z.strictObject({ path: urlPath, startTimeoutMs: z.int().positive().default(15_000) }),
    metrics: z
      .strictObject({
        path: urlPath,
        breakerStateMetric: z.string().optional().describe('A gauge: 0 closed, 1 half-open, 2 open'),
      })
      .optional()
      .describe('Prometheus text exposition'),
    session: sessionSchema
      .optional()
      .describe('Logins: the session ledger. Leave it out for a service without logins (no ledger, no sessions.*)'),
    cache: cacheSchema.optional(),
    traffic: z.array(trafficEntrySchema).min(1),
  })
  .superRefine((manifest, ctx) => {
    manifest.traffic.forEach((entry, i) => {
      if (entry.auth && !manifest.session)
        ctx.addIssue({
          code: 'custom',
          path: ['traffic', i, 'auth'],
          message:
            'auth: true needs a session section (there is no login to take a token from); remove it or add session',
        });
      if (placeholdersIn(entry.path).includes('id') && !manifest.cache)
        ctx.addIssue({
          code: 'custom',
          path: ['traffic', i, 'path'],
          message: '{{id}} takes its values from cache.ids: add a cache section, or write a fixed path',
        });
    });
  });

/** A manifest as written (defaults optional). */
export type TargetManifestInput = z.input<typeof targetManifestSchema>;
/** A manifest after validation (defaults filled in). */
export type TargetManifest = z.output<typeof targetManifestSchema>;
export type TrafficEntry = z.output<typeof trafficEntrySchema>;
export type TokenSource = z.output<typeof tokenSourceSchema>;
export type TokenCarrier = z.output<typeof tokenCarrierSchema>;
export type HttpMethod = (typeof httpMethods)[number];
