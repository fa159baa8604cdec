// cachequake extension routes /proxies/{proxy}/redis-rules: read, replace and clear a Redis link's RESP rules.
import type { ProxyRegistry } from '../core/proxy-registry.ts';
import type { FaultProxy } from '../core/fault-proxy.ts';
import { parseRule, ruleJson, RuleError } from '../../resp/index.ts';
import { findProxy } from './proxy-handlers.ts';
import { ApiError, emptyReply, goJson, jsonReply, type Reply } from './reply.ts';

function rulesReply(proxy: FaultProxy): Reply {
  return jsonReply(200, goJson({ tracking: proxy.redisRules.tracking, rules: proxy.redisRules.rules.map(ruleJson) }));
}

export function getRedisRules(registry: ProxyRegistry, proxyName: string): Reply {
  return rulesReply(findProxy(registry, proxyName));
}

/**
 * Replaces every rule with `{"rules":[…]}` (all validated first) and turns tracking on: connections accepted from
 * now on are parsed. `{"rules":[]}` only turns tracking on; live connections see new rules at their next command.
 */
export function setRedisRules(registry: ProxyRegistry, proxyName: string, body: string): Reply {
  const proxy = findProxy(registry, proxyName);
  let input: unknown;
  try {
    input = JSON.parse(body === '' ? '{}' : body);
  } catch (error) {
    throw new ApiError(`bad request body: ${(error as Error).message}`, 400);
  }
  const raw = (input as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(raw)) throw new ApiError(`bad request body: expected {"rules":[…]}, got ${body.slice(0, 200)}`, 400);
  try {
    const rules = raw.map((item, index) => parseRule(item, index));
    const names = new Set<string>();
    for (const rule of rules) {
      if (names.has(rule.name)) throw new RuleError(`rule name ${JSON.stringify(rule.name)} is used twice`);
      names.add(rule.name);
    }
    // A rule sent again under the same name keeps its count (a fault adding a rule next to another one).
    for (const rule of rules) rule.matched = proxy.redisRules.rules.find((old) => old.name === rule.name)?.matched ?? 0;
    proxy.redisRules.rules = rules;
  } catch (error) {
    if (error instanceof RuleError) throw new ApiError(error.message, 400);
    throw error;
  }
  proxy.redisRules.tracking = true;
  return rulesReply(proxy);
}

/** Removes every rule; tracking stays on. */
export function clearRedisRules(registry: ProxyRegistry, proxyName: string): Reply {
  findProxy(registry, proxyName).redisRules.rules = [];
  return emptyReply();
}
