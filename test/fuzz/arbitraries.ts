// fast-check generators shared by the fuzz tests: raw text, YAML from random values, and mutations of real files.
import fc from 'fast-check';
import { stringify } from 'yaml';

/** Any text: ASCII noise, full Unicode, control characters, YAML punctuation. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        ':',
        '-',
        ' ',
        '\n',
        '  ',
        '{',
        '}',
        '[',
        ']',
        '"',
        "'",
        '#',
        '&a',
        '*a',
        '!!str',
        '|',
        '>',
        '? ',
        ',',
        '%',
        '@',
        '`',
        '\t',
        '\\',
        'x',
        '1',
        'null',
      ),
      { maxLength: 80 },
    )
    .map((parts) => parts.join('')),
);

/** YAML text of a random value (valid YAML, usually the wrong shape). */
export const yamlOfAnything = fc.anything({ maxDepth: 3, withNullPrototype: false }).map((value) => {
  try {
    return stringify(value) ?? '';
  } catch {
    return String(value);
  }
});

/** A real file with a random edit: a slice removed, text inserted, a line duplicated or a character replaced. */
export function mutationsOf(text: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: text.length });
  return fc.oneof(
    fc.tuple(at, fc.nat({ max: 40 })).map(([i, n]) => text.slice(0, i) + text.slice(i + n)),
    fc.tuple(at, anyText).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc
      .tuple(at, fc.constantFrom(':', '-', ' ', '\n', '"', "'", '{', '[', '0', '-1', 'x', '%', '1e999', '\t'))
      .map(([i, c]) => text.slice(0, i) + c + text.slice(i + 1)),
    fc.nat().map((n) => {
      const lines = text.split('\n');
      const i = n % lines.length;
      return [...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)].join('\n');
    }),
  );
}

/** Property runs, scaled by CQ_FUZZ_SCALE for a longer hunt (e.g. CQ_FUZZ_SCALE=20). */
export function runs(base: number): number {
  const scale = Number(process.env.CQ_FUZZ_SCALE ?? 1);
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
