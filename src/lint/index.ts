// Re-exports redis.conf lint: running it, the rules, and the text, JSON and SARIF renderers.
export { lintRedisConf } from './run-lint.ts';
export type { LintOptions } from './run-lint.ts';
export { lintRules } from './rules/index.ts';
export { effectiveConfig, evictionPolicies } from './effective-config.ts';
export type { EffectiveConfig, EvictionPolicy } from './effective-config.ts';
export { formatLintText } from './format-text.ts';
export { formatLintJson } from './format-json.ts';
export { formatLintSarif } from './format-sarif.ts';
export type { Finding, LintReport, LintRule, Severity } from './lint-types.ts';
export { openDangerousCommands } from './rules/dangerous-commands-open.ts';
