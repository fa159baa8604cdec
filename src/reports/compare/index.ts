// Comparing two runs: the model, and its Markdown and HTML renderings.
export { compareJournals } from './compare-journals.ts';
export type {
  RunComparison,
  ExperimentComparison,
  MetricChange,
  ExpectationChange,
  Change,
} from './compare-journals.ts';
export { renderCompareMarkdown } from './compare-markdown.ts';
export { renderCompareHtml } from './compare-html.ts';
export { verdictLabel, verdictOrder } from './compare-verdict.ts';
export type { ExperimentVerdict } from './compare-verdict.ts';
