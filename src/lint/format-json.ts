// Renders a lint report as JSON: the findings, the counts and every rule's metadata, for scripts.
import type { LintReport, LintRule } from './lint-types.ts';

export function formatLintJson(report: LintReport, rules: readonly LintRule[]): string {
  const used = new Set(report.findings.map((f) => f.ruleId));
  const body = {
    version: 1,
    file: report.file,
    files: report.files,
    machineMemoryBytes: report.machineMemoryBytes,
    counts: report.counts,
    findings: report.findings,
    rules: rules
      .filter((r) => used.has(r.id))
      .map(({ id, severity, title, explanation, fix }) => ({ id, severity, title, explanation, fix })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
