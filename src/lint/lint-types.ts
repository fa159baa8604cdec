// The shapes of lint: a rule (id, severity, explanation, fix, check) and the findings it reports, each at a file and
// line.
import type { ConfDirective } from '../redis-conf/index.ts';
import type { EffectiveConfig } from './effective-config.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface LintContext {
  readonly config: EffectiveConfig;
  /** Memory of the machine the config is judged for (os.totalmem() unless --machine-memory). */
  readonly machineMemoryBytes: number;
}

export interface RuleHit {
  message: string;
  /** Where to point; undefined means the first line of the root file (a directive that is missing). */
  directive?: ConfDirective | undefined;
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
