// The RESP fault layer: command-aware rules on proxied Redis connections.
export { RedisRuleSet, parseRule, ruleJson, RuleError } from './redis-rule.ts';
export type { RedisRule, RuleAction } from './redis-rule.ts';
export { RespSession } from './resp-session.ts';
export { redisErrorTexts, errorText } from './redis-errors.ts';
