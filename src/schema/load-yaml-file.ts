// Reads a YAML file and validates it with a zod schema; every problem becomes one CachequakeError with
// file:line:column.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { invalidInput, type InvalidInputCode } from '../errors/index.ts';
import { explainIssues } from './format-zod-issues.ts';
import { locatePath } from './yaml-locate.ts';
import { sourceExcerpt } from './source-excerpt.ts';

export interface LoadYamlOptions {
  /** The catalogue code for a schema violation, e.g. `CQ_TARGET_INVALID` (an invalid-input code: exit 2). */
  code: InvalidInputCode;
  /** A hint printed under the message; default points at the JSON Schema. */
  hint?: string;
  /**
   * Where a field's value came from when not from the file (e.g. `--set load.rate=abc`): such a problem is shown
   * against that origin instead of a line the user never wrote.
   */
  originOf?: (path: readonly PropertyKey[]) => string | undefined;
}

/** A path as shown in messages: relative to the working directory when it is inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Reads, parses and validates `file`; returns the parsed value typed by the schema. */
export async function loadYamlFile<T>(
  file: string,
  schema: z.ZodType<T>,
  what: string,
  options: LoadYamlOptions,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalidInput(
      'CQ_FILE_NOT_FOUND',
      `cannot read the ${what} file ${displayPath(file)}: ${code ?? String(error)}`,
      {
        file,
        cause: error,
        hint: code === 'ENOENT' ? 'Check the path; it is resolved against the current directory.' : undefined,
      },
    );
  }
  return parseYamlText(text, file, schema, what, options);
}

/** Parses and validates YAML text that came from `file` (used for messages only). */
export function parseYamlText<T>(
  text: string,
  file: string,
  schema: z.ZodType<T>,
  what: string,
  options: LoadYamlOptions,
): T {
  const shown = displayPath(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // the first error is the cause; the parser's later ones are mostly its confusion after it, so only count them
    const [first] = doc.errors as [(typeof doc.errors)[number], ...typeof doc.errors];
    const at = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    const more = doc.errors.length - 1;
    const lines = [
      `${shown}:${at.line}:${at.col}: ${firstLine(first.message)}`,
      sourceExcerpt(text, at.line, at.col),
      more > 0 ? `(${more} more parse error${more === 1 ? '' : 's'} after this one, most likely caused by it)` : '',
    ].filter(Boolean);
    throw invalidInput('CQ_YAML_SYNTAX', `the ${what} file is not valid YAML:\n${lines.join('\n')}`, {
      file,
      hint: 'Fix the YAML syntax at the position shown (indentation, a missing colon, an unclosed quote or bracket).',
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    // e.g. an alias (*a) without its anchor, or an alias bomb: the yaml package throws instead of reporting
    throw invalidInput(
      'CQ_YAML_SYNTAX',
      `the ${what} file is not valid YAML:\n${shown}: ${firstLine((cause as Error).message)}`,
      {
        file,
        cause,
        hint: 'Every alias (*name) needs an anchor (&name) earlier in the file; or write the value out.',
      },
    );
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const explained = explainIssues(result.error.issues, data, schema);
  const lines = explained.map((issue) => {
    const origin = options.originOf?.(issue.path);
    if (origin !== undefined) return `${origin} (command line): ${issue.field}: ${issue.text}`;
    const at = locatePath(doc, lineCounter, issue.path, issue.unknownKey);
    return `${shown}:${at.line}:${at.column}: ${issue.field}: ${issue.text}`;
  });
  const count = explained.length === 1 ? 'a problem' : `${explained.length} problems`;
  throw invalidInput(options.code, `the ${what} file ${shown} has ${count}:\n${lines.join('\n')}`, {
    file,
    hint:
      options.hint ??
      `Fix the fields listed above; the JSON Schema in schemas/ lets an editor check the ${what} as you type.`,
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
