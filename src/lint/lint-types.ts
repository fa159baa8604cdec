// The shapes of lint: a rule (id, severity, explanation, fix, check) and the findings it reports, each at a file and
// line.
import type { ConfDirective, ConfProblem } from '../redis-conf/index.ts';
import type { EffectiveConfig } from './effective-config.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface LintContext {
  readonly config: EffectiveConfig;
  /** Memory of the machine the config is judged for (os.totalmem() unless --machine-memory). */
  readonly machineMemoryBytes: number;
  /** Lines redis-server would refuse, collected while loading and reading values (defaults stand in for them). */
  readonly problems: readonly ConfProblem[];
}

export interface RuleHit {
  message: string;
  /** Where to point; undefined means the first line of the root file (a directive that is missing). */
  directive?: ConfDirective | undefined;
  /** Where to point when there is no directive object (a line that did not parse). */
  at?: { file: string; line: number; text: string | undefined };
  /** A fix for this finding when it is more precise than the rule's. */
  fix?: string;
}

export interface LintRule {
  /** Stable kebab-case id, e.g. `allkeys-policy`. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule catches. */
  readonly title: string;
  /** Why it matters, with what Redis does (measured on Redis 7.0). */
  readonly explanation: string;
  /** What to change. */
  readonly fix: string;
  check(context: LintContext): RuleHit[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  /** The directive's text, or undefined when the finding is about a missing directive. */
  readonly text: string | undefined;
  readonly fix: string;
}

export interface LintReport {
  readonly file: string;
  readonly files: readonly string[];
  readonly machineMemoryBytes: number;
  readonly findings: readonly Finding[];
  readonly counts: Record<Severity, number>;
}
