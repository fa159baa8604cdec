// Renders a lint report for a terminal: one block per finding (file:line, severity, rule, message, the line, the fix),
// then the counts.
import { displayPath } from '../schema/load-yaml-file.ts';
import type { LintReport } from './lint-types.ts';

export function formatLintText(report: LintReport): string {
  const out: string[] = [];
  for (const f of report.findings) {
    out.push(`${displayPath(f.file)}:${f.line}: ${f.severity} [${f.ruleId}] ${f.message}`);
    if (f.text !== undefined) out.push(`    ${f.text}`);
    out.push(`    fix: ${f.fix}`);
  }
  const { error, warning, info } = report.counts;
  const files = report.files.length > 1 ? ` (${report.files.length} files with includes)` : '';
  out.push(`${displayPath(report.file)}${files}: ${error} error(s), ${warning} warning(s), ${info} info`);
  return `${out.join('\n')}\n`;
}
