// Zod schemas for strings (and JSON values) that may hold `{{name}}` placeholders from a fixed list.
import { z } from 'zod';
import { placeholdersIn, stringsIn } from './placeholders.ts';

function unknownPlaceholders(text: string, allowed: readonly string[]): string[] {
  return placeholdersIn(text).filter((name) => !allowed.includes(name));
}

/** A string (`base`, default any) whose placeholders must all be in `allowed`; `where` names the place in messages. */
export function templated(allowed: readonly string[], where: string, base: z.ZodString = z.string()) {
  return base.superRefine((text, ctx) => {
    for (const name of unknownPlaceholders(text, allowed)) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown placeholder {{${name}}} in ${where}`,
        params: { allowed: allowed.map((a) => `{{${a}}}`) },
      });
    }
  });
}

/** Any JSON value; every string inside it is checked like `templated`. */
export function templatedJson(allowed: readonly string[], where: string) {
  return z.unknown().superRefine((value, ctx) => {
    for (const { path, text } of stringsIn(value)) {
      for (const name of unknownPlaceholders(text, allowed)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `unknown placeholder {{${name}}} in ${where}`,
          params: { allowed: allowed.map((a) => `{{${a}}}`) },
        });
      }
    }
  });
}
