// Lints a redis.conf: loads it with its includes, derives what Redis would run with, and collects every rule's
// findings.
import { totalmem } from 'node:os';
import { loadRedisConf } from '../redis-conf/index.ts';
import { effectiveConfig } from './effective-config.ts';
import type { Finding, LintReport, LintRule, Severity } from './lint-types.ts';
import { lintRules } from './rules/index.ts';

export interface LintOptions {
  /** The directory redis-server would start in (relative includes). Default: process.cwd(). */
  cwd?: string;
  /** Judge maxmemory against this machine size; default os.totalmem(). */
  machineMemoryBytes?: number;
  rules?: readonly LintRule[];
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function lintRedisConf(file: string, options: LintOptions = {}): LintReport {
  const conf = loadRedisConf(file, { cwd: options.cwd, collectProblems: true });
  const problems = [...conf.problems];
  const config = effectiveConfig(conf, problems);
  const machineMemoryBytes = options.machineMemoryBytes ?? totalmem();
  const rules = options.rules ?? lintRules;
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check({ config, machineMemoryBytes, problems })) {
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        message: hit.message,
        file: hit.directive?.file ?? hit.at?.file ?? conf.file,
        line: hit.directive?.line ?? hit.at?.line ?? 1,
        text: hit.directive?.text ?? hit.at?.text,
        fix: hit.fix ?? rule.fix,
      });
    }
  }
  // a line redis-server refuses is reported for that; judging the default that stood in for it would only mislead
  const refused = new Set(problems.map((p) => `${p.file}:${p.line}`));
  const problemRules = new Set(['unloadable-line', 'include-unreadable']);
  const kept = findings.filter((f) => problemRules.has(f.ruleId) || !refused.has(`${f.file}:${f.line}`));
  findings.length = 0;
  findings.push(...kept);
  const order = (f: Finding) => rules.findIndex((r) => r.id === f.ruleId);
  findings.sort((a, b) => severityRank[a.severity] - severityRank[b.severity] || order(a) - order(b));
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { file: conf.file, files: conf.files, machineMemoryBytes, findings, counts };
}
