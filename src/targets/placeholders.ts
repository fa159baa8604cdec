// The `{{name}}` placeholders a manifest may use, where each is allowed, and the renderer that fills them in.
import { invalidInput } from '../errors/index.ts';

/** Filled from the started environment: usable in command, args, cwd and env. */
export const environmentPlaceholders = [
  'port',
  'host',
  'redis.url',
  'redis.host',
  'redis.port',
  'redis.topology',
  'redis.sentinels',
  'redis.sentinelName',
  'redis.nodes',
  'postgres.url',
  'postgres.host',
  'postgres.port',
  'postgres.user',
  'postgres.password',
] as const;
/** Filled per user by the session ledger: usable in the login body and headers. */
export const loginPlaceholders = ['user', 'password', 'rememberMe'] as const;
/** Usable in request paths (check, logout, traffic) and traffic bodies. */
export const requestPlaceholders = ['user'] as const;
/** Usable in traffic paths: `{{id}}` takes every id of cache.ids in turn (the target must have a cache section). */
export const trafficPathPlaceholders = ['user', 'id'] as const;
/** Usable in the cache read path (cache.read.path): the id being read. */
export const cachePlaceholders = ['id'] as const;

export type EnvironmentPlaceholder = (typeof environmentPlaceholders)[number];
export type LoginPlaceholder = (typeof loginPlaceholders)[number];

const placeholderPattern = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** The placeholder names used in a string, in order. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(placeholderPattern)].map((m) => m[1] ?? '');
}

/** Replaces every `{{name}}` with `values[name]`; a name missing from `values` is an error naming the field. */
export function renderTemplate(
  text: string,
  values: Readonly<Record<string, string | number | boolean | undefined>>,
  field: string,
): string {
  return text.replace(placeholderPattern, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw invalidInput(
        'CQ_TARGET_PLACEHOLDER',
        `${field}: the placeholder {{${name}}} has no value in this environment`,
        {
          hint: name.startsWith('postgres.')
            ? 'This target needs PostgreSQL: start the experiment with `postgres: true`.'
            : `Known here: ${Object.keys(values)
                .filter((k) => values[k] !== undefined)
                .map((k) => `{{${k}}}`)
                .join(', ')}`,
        },
      );
    }
    return String(value);
  });
}

/**
 * Renders a JSON value: strings are templated, and a string that is exactly one placeholder takes the value's own
 * type, so `rememberMe: "{{rememberMe}}"` becomes `true`, not `"true"`.
 */
export function renderJsonTemplate(
  value: unknown,
  values: Readonly<Record<string, string | number | boolean>>,
  field: string,
): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([^{}\s]*)\s*\}\}$/.exec(value);
    if (whole && whole[1] !== undefined && values[whole[1]] !== undefined) return values[whole[1]];
    return renderTemplate(value, values, field);
  }
  if (Array.isArray(value)) return value.map((item, i) => renderJsonTemplate(item, values, `${field}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderJsonTemplate(v, values, `${field}.${k}`)]),
    );
  }
  return value;
}

/** Every string inside a JSON value with its path, for validation. */
export function stringsIn(value: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsIn(item, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringsIn(v, [...path, k]));
  return [];
}
