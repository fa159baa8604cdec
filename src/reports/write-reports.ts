// Writes report.html, junit.xml and summary.md beside journal.json, and appends the summary to $GITHUB_STEP_SUMMARY.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Journal } from '../journal/journal-types.ts';
import { reporters } from './reporters.ts';

export interface WrittenReports {
  html: string;
  junit: string;
  markdown: string;
  /** The step summary file appended to, when $GITHUB_STEP_SUMMARY was set and writable. */
  stepSummary?: string;
  /** Problems that did not stop the reports (e.g. an unwritable step summary). */
  warnings: string[];
}

export async function writeReports(
  journal: Journal,
  runDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WrittenReports> {
  await mkdir(runDir, { recursive: true });
  const written: WrittenReports = {
    html: await writeOne(runDir, 'html', journal),
    junit: await writeOne(runDir, 'junit', journal),
    markdown: await writeOne(runDir, 'markdown', journal),
    warnings: [],
  };
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      await appendFile(summary, `${reporters.markdown.render(journal)}\n`);
      written.stepSummary = summary;
    } catch (error) {
      written.warnings.push(`could not append to $GITHUB_STEP_SUMMARY (${summary}): ${(error as Error).message}`);
    }
  }
  return written;
}

async function writeOne(runDir: string, name: 'html' | 'junit' | 'markdown', journal: Journal): Promise<string> {
  const reporter = reporters[name];
  const file = join(runDir, reporter.fileName ?? `${name}.out`);
  await writeFile(file, reporter.render(journal));
  return file;
}
