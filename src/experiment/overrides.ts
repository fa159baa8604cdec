// Command-line overrides of experiment fields (--set a.b=value, --target, --redis-config), applied before validation.
import { parse as parseYaml, parseDocument } from 'yaml';
import { invalidInput } from '../errors/index.ts';

export interface Override {
  path: (string | number)[];
  value: unknown;
  /** What the user typed, e.g. `--set load.rate=abc`: problems with this field are blamed on it, not on a file line. */
  origin?: string;
}

/** The origin of the override that set `path` (or a field inside it, or a parent of it), last one winning. */
export function overrideOriginOf(overrides: readonly Override[], path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined; // a problem with the whole experiment is no single override's
  const overlaps = (o: Override) => o.path.every((key, i) => i >= path.length || String(path[i]) === String(key));
  return overrides.findLast((o) => o.origin !== undefined && overlaps(o))?.origin;
}

/** `load.rate=50` → { path: ['load','rate'], value: 50 }; the value is read as YAML (numbers, booleans, lists). */
export function parseSetOption(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw invalidInput('CQ_SET_INVALID', `--set expects key=value, got ${JSON.stringify(text)}`, {
      hint: 'For example: --set load.rate=50 --set phases.fault=10s',
    });
  }
  const path = text
    .slice(0, eq)
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = parseYaml(raw);
  } catch {
    value = raw;
  }
  return { path, value, origin: `--set ${text}` };
}

/** Applies overrides to YAML text, keeping the rest of the document (and so most line numbers) as written. */
export function applyToYaml(text: string, overrides: readonly Override[]): string {
  if (overrides.length === 0) return text;
  const doc = parseDocument(text);
  for (const o of overrides) {
    if (o.value === undefined) doc.deleteIn(o.path);
    else doc.setIn(o.path, o.value);
  }
  return doc.toString();
}

export function applyToObject<T>(input: T, overrides: readonly Override[]): T {
  if (overrides.length === 0) return input;
  const copy = structuredClone(input) as Record<string | number, unknown>;
  for (const o of overrides) {
    let node = copy;
    o.path.slice(0, -1).forEach((key, i) => {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = typeof o.path[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    });
    const last = o.path.at(-1) as string | number;
    if (o.value === undefined) delete node[last];
    else node[last] = o.value;
  }
  return copy as T;
}
