// Reads the last lines of a server log file, for start-up errors that teach.
import { readFile } from 'node:fs/promises';

export async function tailFile(file: string, lines = 20): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

/** Keeps the last `max` lines written to a stream, for processes without a log file. */
export class LineRing {
  readonly #lines: string[] = [];
  readonly #max: number;
  #partial = '';

  constructor(max = 200) {
    this.#max = max;
  }

  push(chunk: string | Buffer): void {
    const text = this.#partial + chunk.toString();
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) {
      this.#lines.push(line);
      if (this.#lines.length > this.#max) this.#lines.shift();
    }
  }

  tail(lines = 20): string {
    const all = this.#partial ? [...this.#lines, this.#partial] : this.#lines;
    return all.slice(-lines).join('\n');
  }
}
