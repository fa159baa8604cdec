// One RESP fault rule (command names, key glob, probability, action) parsed from the API's JSON, and the set a proxy
// holds.
import { errorReply, errorText } from './redis-errors.ts';
import { globToRegExp } from './key-glob.ts';
import type { AddressRewrite } from './address-rewrite.ts';

export type RuleAction = 'error' | 'delay' | 'drop' | 'close';
const actions: readonly RuleAction[] = ['error', 'delay', 'drop', 'close'];

export interface RedisRule {
  readonly name: string;
  readonly action: RuleAction;
  /** Upper-case command names; empty matches every command. */
  readonly commands: readonly string[];
  /** Redis glob on the command's first argument; undefined matches any (and commands without one). */
  readonly keys: string | undefined;
  readonly probability: number;
  /** The error text sent instead of forwarding (action `error`). */
  readonly error: string | undefined;
  readonly latencyMs: number;
  /** Commands this rule acted on so far (probability drawn and won). */
  matched: number;
  readonly keyPattern: RegExp | undefined;
  readonly reply: Buffer | undefined;
}

/** Thrown for a rule the API cannot accept; the message names the field and the value. */
export class RuleError extends Error {}

export function parseRule(raw: unknown, index: number): RedisRule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RuleError(`rules[${index}] must be an object, got ${JSON.stringify(raw)}`);
  const input = raw as Record<string, unknown>;
  const action = input.action;
  if (typeof action !== 'string' || !actions.includes(action as RuleAction))
    throw new RuleError(`rules[${index}].action must be one of ${actions.join(', ')}, got ${JSON.stringify(action)}`);
  const commands = input.commands ?? [];
  if (!Array.isArray(commands) || commands.some((c) => typeof c !== 'string' || c === ''))
    throw new RuleError(`rules[${index}].commands must be a list of command names, got ${JSON.stringify(commands)}`);
  // null is what GET answers for "any key": a rule read back can be sent again as it is.
  const keys = input.keys ?? undefined;
  if (keys !== undefined && (typeof keys !== 'string' || keys === ''))
    throw new RuleError(`rules[${index}].keys must be a glob like "session:*", got ${JSON.stringify(keys)}`);
  const probability = input.probability ?? 1;
  if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))
    throw new RuleError(`rules[${index}].probability must be a number 0..1, got ${JSON.stringify(probability)}`);
  const latencyMs = input.latencyMs ?? 0;
  if (typeof latencyMs !== 'number' || !Number.isInteger(latencyMs) || latencyMs < 0)
    throw new RuleError(`rules[${index}].latencyMs must be a non-negative integer, got ${JSON.stringify(latencyMs)}`);
  if (action === 'delay' && latencyMs === 0) throw new RuleError(`rules[${index}]: action delay needs latencyMs > 0`);
  let error: string | undefined;
  if (action === 'error') {
    if (typeof input.error !== 'string' || input.error.trim() === '' || /[\r\n]/.test(input.error))
      throw new RuleError(
        `rules[${index}].error must be one line (OOM, READONLY, LOADING, BUSY, MASTERDOWN, NOAUTH or a full text like "ERR custom"), got ${JSON.stringify(input.error)}`,
      );
    error = errorText(input.error.trim());
  }
  const name = typeof input.name === 'string' && input.name !== '' ? input.name : `${action}-${index}`;
  return {
    name,
    action: action as RuleAction,
    commands: (commands as string[]).map((c) => c.toUpperCase()),
    keys: keys as string | undefined,
    probability,
    error,
    latencyMs,
    matched: 0,
    keyPattern: keys === undefined ? undefined : globToRegExp(keys as string),
    reply: error === undefined ? undefined : errorReply(error),
  };
}

export function ruleJson(rule: RedisRule): Record<string, unknown> {
  return {
    name: rule.name,
    action: rule.action,
    commands: rule.commands,
    keys: rule.keys ?? null,
    probability: rule.probability,
    error: rule.error ?? null,
    latencyMs: rule.latencyMs,
    matched: rule.matched,
  };
}

/** The live rules of one proxy; sessions read `rules` on every command, so a change applies to the next command. */
export class RedisRuleSet {
  /** Set once RESP tracking was asked for: connections accepted from then on are parsed. */
  tracking = false;
  rules: readonly RedisRule[] = [];
  /** Set when cluster address rewriting is on (`rewriteAddresses: true`): read by sessions on every reply. */
  rewrite: AddressRewrite | undefined = undefined;

  /** The first rule that matches and wins its probability draw. */
  match(name: string, key: string | undefined): RedisRule | undefined {
    for (const rule of this.rules) {
      if (rule.commands.length > 0 && !rule.commands.includes(name)) continue;
      if (rule.keyPattern && (key === undefined || !rule.keyPattern.test(key))) continue;
      if (rule.probability < 1 && Math.random() >= rule.probability) continue;
      rule.matched++;
      return rule;
    }
    return undefined;
  }
}
