// Shows the line a problem is on with a caret under its column, as compilers do:
//   5 |   ms: 5
//     |   ^
/** The 1-based `line` of `text` and a caret under the 1-based `column`; empty when the line does not exist. */
export function sourceExcerpt(text: string, line: number, column: number): string {
  const source = text.split(/\r?\n/)[line - 1];
  if (source === undefined) return '';
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  // tabs keep their width so the caret stays under the character it points at
  const lead = source.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ');
  return `  ${gutter} | ${source}\n  ${pad} | ${lead}^`;
}
