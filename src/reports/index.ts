// Reports rendered from a journal: HTML, JUnit XML, Markdown and the console table; reading a journal back; comparing
// two runs.
export { writeReports } from './write-reports.ts';
export type { WrittenReports } from './write-reports.ts';
export { reporters } from './reporters.ts';
export type { ReporterName } from './reporters.ts';
export type { Reporter } from './reporter.ts';
export { readJournal } from './read-journal.ts';
export type { ReadJournal } from './read-journal.ts';
export { compareJournals, renderCompareMarkdown, renderCompareHtml } from './compare/index.ts';
export type { RunComparison } from './compare/index.ts';
export { mergeJournals, checkOneVersion } from './merge-journals.ts';
export type { MergeInput } from './merge-journals.ts';
