// cachequake extension routes /proxies/{proxy}/redis-rules: read, replace and clear a Redis link's RESP rules.
import type { ProxyRegistry } from '../core/proxy-registry.ts';
import type { FaultProxy } from '../core/fault-proxy.ts';
import { parseRule, ruleJson, RuleError, type RedisRule } from '../../resp/index.ts';
import { AddressRewrite } from '../../resp/address-rewrite.ts';
import { findProxy } from './proxy-handlers.ts';
import { ApiError, emptyReply, goJson, jsonReply, type Reply } from './reply.ts';

function rulesReply(proxy: FaultProxy): Reply {
  const { tracking, rules, rewrite } = proxy.redisRules;
  return jsonReply(
    200,
    goJson({
      tracking,
      rules: rules.map(ruleJson),
      rewriteAddresses: rewrite !== undefined,
      rewrites: rewrite?.json() ?? null,
    }),
  );
}

export function getRedisRules(registry: ProxyRegistry, proxyName: string): Reply {
  return rulesReply(findProxy(registry, proxyName));
}

/**
 * Replaces every rule with `{"rules":[…]}` (all validated first) and turns tracking on: connections accepted from
 * now on are parsed. `{"rules":[]}` only turns tracking on; live connections see new rules at their next command.
 * `"rewriteAddresses": true|false` switches cluster address rewriting (absent: unchanged); with it, `rules` may be
 * left out (the rules stay as they are).
 */
export function setRedisRules(registry: ProxyRegistry, proxyName: string, body: string): Reply {
  const proxy = findProxy(registry, proxyName);
  let input: unknown;
  try {
    input = JSON.parse(body === '' ? '{}' : body);
  } catch (error) {
    throw new ApiError(`bad request body: ${(error as Error).message}`, 400);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new ApiError(`bad request body: expected {"rules":[…]}, got ${body.slice(0, 200)}`, 400);
  const { rules: raw, rewriteAddresses } = input as { rules?: unknown; rewriteAddresses?: unknown };
  if (rewriteAddresses !== undefined && typeof rewriteAddresses !== 'boolean')
    throw new ApiError(`rewriteAddresses must be true or false, got ${JSON.stringify(rewriteAddresses)}`, 400);
  if (raw === undefined && rewriteAddresses === undefined)
    throw new ApiError(
      `bad request body: expected {"rules":[…]} and/or {"rewriteAddresses":true|false}, got ${body.slice(0, 200)}`,
      400,
    );
  if (raw !== undefined && !Array.isArray(raw))
    throw new ApiError(`bad request body: expected {"rules":[…]}, got ${body.slice(0, 200)}`, 400);
  try {
    if (Array.isArray(raw))
      setRules(
        proxy,
        raw.map((item, index) => parseRule(item, index)),
      );
  } catch (error) {
    if (error instanceof RuleError) throw new ApiError(error.message, 400);
    throw error;
  }
  if (rewriteAddresses === false) proxy.redisRules.rewrite = undefined;
  // The peers are read at each rewritten reply: proxies created later (a node added) are found too.
  if (rewriteAddresses === true)
    proxy.redisRules.rewrite ??= new AddressRewrite(
      () => registry.all(),
      () => proxy.upstream,
    );
  proxy.redisRules.tracking = true;
  return rulesReply(proxy);
}

function setRules(proxy: FaultProxy, rules: RedisRule[]): void {
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name)) throw new RuleError(`rule name ${JSON.stringify(rule.name)} is used twice`);
    names.add(rule.name);
  }
  // A rule sent again under the same name keeps its count (a fault adding a rule next to another one).
  for (const rule of rules) rule.matched = proxy.redisRules.rules.find((old) => old.name === rule.name)?.matched ?? 0;
  proxy.redisRules.rules = rules;
}

/** Removes every rule; tracking stays on. */
export function clearRedisRules(registry: ProxyRegistry, proxyName: string): Reply {
  findProxy(registry, proxyName).redisRules.rules = [];
  return emptyReply();
}
