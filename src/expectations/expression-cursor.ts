// A position in an expression being parsed: skips blanks and reads the small tokens of the language.

const identifierStart = /[A-Za-z_]/;
const metricChar = /[A-Za-z0-9_.:]/;
const labelChar = /[A-Za-z0-9_]/;
const valueChar = /[A-Za-z0-9_.:\-/]/;
const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;

export class ExpressionCursor {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  /** 1-based column of the current position (or of `pos`). */
  column(pos = this.pos): number {
    return pos + 1;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  /** Skips spaces and tabs; returns true if any were skipped. */
  skipBlanks(): boolean {
    const start = this.pos;
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    return this.pos > start;
  }

  eat(char: string): boolean {
    if (this.peek() !== char) return false;
    this.pos++;
    return true;
  }

  /** A metric name: starts with a letter or `_`, then letters, digits, `_`, `.` and `:`. */
  readMetricName(): string {
    if (!identifierStart.test(this.peek())) return '';
    return this.readWhile(metricChar);
  }

  readLabelName(): string {
    if (!identifierStart.test(this.peek())) return '';
    return this.readWhile(labelChar);
  }

  /** A bare label value, or a double-quoted one (quotes removed, `\"` unescaped); undefined on an open quote. */
  readLabelValue(): string | undefined {
    if (this.peek() !== '"') return this.readWhile(valueChar);
    let value = '';
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const ch = this.text[i] as string;
      if (ch === '\\' && i + 1 < this.text.length) {
        value += this.text[++i];
      } else if (ch === '"') {
        this.pos = i + 1;
        return value;
      } else {
        value += ch;
      }
    }
    return undefined;
  }

  /** The run of operator characters (`<`, `>`, `=`, `!`), so `=<` or `<>` can be reported whole. */
  readOperator(): string {
    return this.readWhile(/[<>=!]/);
  }

  /** A decimal number as written, or '' if none starts here. */
  readNumber(): string {
    const match = numberPattern.exec(this.text.slice(this.pos));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  /** A word of letters or `%` (a unit or a keyword). */
  readWord(): string {
    return this.readWhile(/[A-Za-z%µ]/);
  }

  /** The rest of the text up to the next blank, for "received …" in messages. */
  restOfToken(pos = this.pos): string {
    const match = /^[^\s]*/.exec(this.text.slice(pos));
    return match?.[0] ?? '';
  }

  private readWhile(pattern: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && pattern.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(start, this.pos);
  }
}
