// Groups keys by prefix: the first `depth` segments split on a separator (`session:42` → `session`), `(none)` without
// it.

export interface PrefixOptions {
  separator: string;
  depth: number;
}

export const noPrefix = '(none)';

export function prefixOf(key: string, { separator, depth }: PrefixOptions): string {
  const parts = key.split(separator);
  if (parts.length <= depth) return parts.length > 1 ? parts.slice(0, -1).join(separator) : noPrefix;
  return parts.slice(0, depth).join(separator);
}

export function patternOf(prefix: string, separator: string): string {
  return prefix === noPrefix ? `(no "${separator}")` : `${prefix}${separator}*`;
}

/** How the keys of a prefix are named in a sentence. */
export function subjectOf(prefix: string, separator: string): string {
  return prefix === noPrefix ? `keys without "${separator}"` : `${prefix}${separator}* keys`;
}
