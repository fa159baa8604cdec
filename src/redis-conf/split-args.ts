// Splits one redis.conf line into arguments by Redis's own rules (sdssplitargs): spaces, "double" quotes with escapes,
// 'single' quotes.

/** Why a line could not be split; the caller adds file and line. */
export interface SplitError {
  error: string;
  /** 1-based column of the offending character. */
  column: number;
}

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isSpace = (c: string | undefined) => c !== undefined && /^[ \t\n\r\v\f]$/.test(c);
const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/**
 * Returns the arguments of `line`, or a SplitError for an unbalanced quote or a closing quote followed by
 * something other than a space (Redis refuses both with "Unbalanced quotes in configuration line").
 * A quote in the middle of a word opens a quoted part of that word, as in Redis: `a"b c"` is one argument `ab c`.
 */
export function splitArgs(text: string): string[] | SplitError {
  // Redis walks a C string: a NUL byte ends the line for it
  const line = text.split('\0', 1)[0] ?? '';
  const args: string[] = [];
  let i = 0;
  while (true) {
    while (isSpace(line[i])) i++;
    if (i >= line.length) return args;
    let current = '';
    let quote: '"' | "'" | undefined;
    let quoteStart = 0;
    for (;;) {
      const c = line[i];
      if (quote === '"') {
        if (c === undefined) return { error: 'unterminated "double quote"', column: quoteStart + 1 };
        if (c === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          current += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        if (c === '\\' && line[i + 1] !== undefined) {
          const next = line[i + 1] as string;
          current += escapes[next] ?? next;
          i += 2;
          continue;
        }
        if (c === '"') {
          if (i + 1 < line.length && !isSpace(line[i + 1]))
            return { error: 'a closing quote must be followed by a space', column: i + 2 };
          i++;
          break;
        }
        current += c;
        i++;
      } else if (quote === "'") {
        if (c === undefined) return { error: "unterminated 'single quote'", column: quoteStart + 1 };
        if (c === '\\' && line[i + 1] === "'") {
          current += "'";
          i += 2;
          continue;
        }
        if (c === "'") {
          if (i + 1 < line.length && !isSpace(line[i + 1]))
            return { error: 'a closing quote must be followed by a space', column: i + 2 };
          i++;
          break;
        }
        current += c;
        i++;
      } else {
        if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t') break;
        if (c === '"' || c === "'") {
          quote = c;
          quoteStart = i;
        } else {
          current += c;
        }
        i++;
      }
    }
    args.push(current);
  }
}

export function isSplitError(value: string[] | SplitError): value is SplitError {
  return !Array.isArray(value);
}
