// Turns zod issues into lines a person can act on: the field path, what was received, and what is allowed.
import type { z } from 'zod';
import { allowedKeys, allowedValues, schemaAtPath, schemaTypeName } from './schema-at-path.ts';
import { describeValue, formatPath, listValues, valueAtPath } from './describe-value.ts';
import { closestNames } from './closest-names.ts';

export interface ExplainedIssue {
  /** The path of the offending field (for an unknown key: the key itself). */
  path: PropertyKey[];
  /** `session.login.method` */
  field: string;
  /** `received "FETCH" (string); allowed: "GET", "POST" or "PUT"` */
  text: string;
  /** True when the issue is about a key that should not be there (locate the key, not its value). */
  unknownKey: boolean;
}

type Issue = z.core.$ZodIssue;

/** Explains every issue; an unknown-keys issue becomes one entry per key. */
export function explainIssues(issues: readonly Issue[], data: unknown, schema: z.ZodType): ExplainedIssue[] {
  const out: ExplainedIssue[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schemaAtPath(schema, data, path)) ?? [];
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        out.push({
          path: keyPath,
          field: formatPath(keyPath),
          unknownKey: true,
          text: `unknown key ${JSON.stringify(key)}${didYouMean(key, allowed)}; allowed keys: ${listValues(allowed)}`,
        });
      }
      continue;
    }
    out.push({ path, field: formatPath(path), unknownKey: false, text: explainOne(issue, data, schema) });
  }
  return out;
}

function explainOne(issue: Issue, data: unknown, schema: z.ZodType): string {
  const path = issue.path as PropertyKey[];
  const received = valueAtPath(data, path);
  const receivedText = `received ${describeValue(received)}`;
  switch (issue.code) {
    case 'invalid_value':
      return `${receivedText}${didYouMean(received, issue.values)}; allowed: ${listValues(issue.values)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) return `${receivedText}${didYouMean(received, options)}; allowed: ${listValues(options)}`;
      return `${receivedText}; it matches none of the allowed forms (${issue.message})`;
    }
    case 'invalid_type': {
      const values = allowedValues(schemaAtPath(schema, data, path));
      const allowed = values ? `; allowed: ${listValues(values)}` : '';
      if (received === undefined) return `missing required field (expected ${issue.expected})${allowed}`;
      return `expected ${issue.expected}, ${receivedText}${allowed}`;
    }
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'not_multiple_of':
      return `${receivedText}; ${lowerFirst(issue.message)}`;
    case 'custom': {
      const allowed = (issue.params as { allowed?: unknown[] } | undefined)?.allowed;
      return `${receivedText}; ${lowerFirst(issue.message)}${allowed ? `; allowed: ${listValues(allowed)}` : ''}`;
    }
    default: {
      const type = schemaTypeName(schemaAtPath(schema, data, path));
      return `${receivedText}; ${lowerFirst(issue.message)}${type ? ` (expected ${type})` : ''}`;
    }
  }
}

/** `; did you mean "latency"?` when a string is a near miss of one allowed value, else nothing. */
function didYouMean(received: unknown, allowed: readonly unknown[]): string {
  if (typeof received !== 'string') return '';
  const names = allowed.filter((v): v is string => typeof v === 'string');
  const [best] = closestNames(received, names, 1);
  return best === undefined ? '' : `; did you mean ${JSON.stringify(best)}?`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * The issues of a TypeScript object (e.g. from `defineTarget()`) as one line each, without line numbers:
 * `  session.login.method: received "FETCH" (string); allowed: "GET" or "POST"`.
 */
export function formatZodIssues(issues: readonly Issue[], data: unknown, schema: z.ZodType): string {
  return explainIssues(issues, data, schema)
    .map((issue) => `${issue.field}: ${issue.text}`)
    .join('\n');
}
