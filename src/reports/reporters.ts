// Every reporter by name (as vitest keeps its reporters): the ones with a file are written beside journal.json.
import type { Reporter } from './reporter.ts';
import { consoleReporter } from './console-reporter.ts';
import { htmlReporter } from './html/html-reporter.ts';
import { junitReporter } from './junit-reporter.ts';
import { markdownReporter } from './markdown-reporter.ts';

export const reporters = {
  html: htmlReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  console: consoleReporter,
} as const satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof reporters;
