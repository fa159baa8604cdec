// Renders a lint report as SARIF 2.1.0 for code-scanning UIs: the rules as tool metadata, each finding with a physical
// location.
import { relative, sep } from 'node:path';
import type { LintReport, LintRule, Severity } from './lint-types.ts';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** `baseDir` is the repository root the artifact URIs are relative to (code scanning matches them to files). */
export function formatLintSarif(
  report: LintReport,
  rules: readonly LintRule[],
  baseDir: string = process.cwd(),
): string {
  const uriOf = (file: string) => {
    const rel = relative(baseDir, file);
    return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : `file://${file.split(sep).join('/')}`;
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cachequake-lint',
            version: '0.1.0',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)(\w)/g, (_m, _d: string, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.explanation },
              help: { text: `${r.explanation}\nFix: ${r.fix}`, markdown: `${r.explanation}\n\n**Fix:** ${r.fix}` },
              defaultConfiguration: { level: levels[r.severity] },
              properties: { tags: ['redis', 'configuration'] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `file://${baseDir.split(sep).join('/')}/` } },
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: rules.findIndex((r) => r.id === f.ruleId),
          level: levels[f.severity],
          message: { text: `${f.message}. Fix: ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: uriOf(f.file).startsWith('file://')
                  ? { uri: uriOf(f.file) }
                  : { uri: uriOf(f.file), uriBaseId: 'SRCROOT' },
                region: { startLine: f.line, ...(f.text !== undefined ? { snippet: { text: f.text } } : {}) },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
