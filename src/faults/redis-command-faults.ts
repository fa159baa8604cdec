// Faults on single Redis commands through the proxy's RESP layer: error replies, delayed or dropped replies, a close on
// a match.
import type { Proxy } from 'toxiproxy-node-client';
import { z } from 'zod';
import { environmentError } from '../errors/index.ts';
import { defineFault, type FaultObject } from './fault-record.ts';
import { commandRule } from './fault-fields.ts';
import { linkPort } from '../runtimes/proxy-links.ts';
import { probeCommand } from '../probes/command-probe.ts';

type Rule = Record<string, unknown> & { name: string };
type RuleSpec = z.output<z.ZodObject<typeof commandRule>>;
/** The proxy's rule action (error, delay, drop, close) and the parameters it takes. */
type RuleAction = { action: string } & Record<string, unknown>;

/** The rule the proxy's /redis-rules takes (minus the name): its action, the match every command fault has, extras. */
function ruleOf(spec: RuleSpec, { action, ...extra }: RuleAction): Record<string, unknown> {
  const { commands, keys, probability } = spec;
  return { action, commands, ...(keys === undefined ? {} : { keys }), probability, ...extra };
}

async function rulesRequest(proxy: Proxy, method: 'GET' | 'POST', rules?: Rule[]): Promise<Rule[]> {
  const url = `${proxy.getPath()}/redis-rules`;
  const response = await fetch(url, method === 'GET' ? {} : { method, body: JSON.stringify({ rules }) });
  const body = await response.text();
  if (response.status === 404 && body.startsWith('404 page not found')) {
    throw environmentError(
      'CQ_RESP_UNSUPPORTED',
      `The fault proxy at ${url.slice(0, url.indexOf('/proxies/'))} has no RESP layer (${method} ${url} answered 404 page not found): command faults need cachequake's own proxy, a real Toxiproxy only sees bytes.`,
      {
        hint: 'Unset TOXIPROXY_URL to use the embedded proxy, or run `cachequake proxy` in place of toxiproxy-server.',
      },
    );
  }
  if (!response.ok)
    throw environmentError('CQ_RESP_RULES', `${method} ${url} answered HTTP ${response.status}: ${body.trim()}`);
  const state = JSON.parse(body) as { tracking: boolean; rules: Rule[] };
  if (!state.tracking)
    throw environmentError(
      'CQ_RESP_NOT_TRACKING',
      `${proxy.name} does not parse Redis commands (tracking is off), so its pooled connections would not see the rules.`,
      {
        hint: 'POST {"rules":[]} to the link before the service connects; the local runtime does this for its redis link.',
      },
    );
  return state.rules;
}

let counter = 0;

/**
 * A fault that is one RESP rule on the Redis link; `action` gives the rule's action and its parameters, e.g. { action:
 * 'delay', latencyMs }. Destructive: the guard stands before it (a rule acts on the commands, not on the link's bytes).
 */
function commandFault<K extends string, P extends typeof commandRule>(definition: {
  kind: K;
  description: string;
  params: P;
  action: (spec: z.output<FaultObject<K, P>>) => RuleAction;
}) {
  const { kind, action } = definition;
  const rule = (spec: z.output<FaultObject<K, P>>) => ruleOf(spec as RuleSpec, action(spec));
  return defineFault({
    kind,
    group: 'redis',
    description: definition.description,
    params: definition.params,
    traits: { destructive: true, topology: 'any' },
    plan: (spec) => [
      `RESP rule on the redis link: POST /proxies/{redis}/redis-rules ${JSON.stringify(rule(spec))} (with the rules already there) … removed at the end`,
    ],
    async inject(ctx, spec) {
      const proxy = ctx.link('redis');
      const endpoint = ctx.linkEndpoint?.('redis') ?? { host: '127.0.0.1', port: linkPort(proxy) };
      const id = ++counter;
      const name = `cachequake-${kind}-${id}`;
      const ours: Rule = { name, ...rule(spec) };
      // A probe rule with probability 1 on a key nothing else uses shows the rule's action on a real command through
      // the link.
      const probeKey = `cachequake:probe:${kind}:${id}`;
      const probeRule: Rule = { ...ours, name: `${name}-probe`, commands: ['GET'], keys: probeKey, probability: 1 };
      const existing = await rulesRequest(proxy, 'GET');
      await rulesRequest(proxy, 'POST', [...existing, ours, probeRule]);
      const probe = await probeCommand(
        endpoint.host,
        endpoint.port,
        ['GET', probeKey],
        ours.latencyMs === undefined ? 500 : Number(ours.latencyMs) + 1000, // a delayed reply comes after latencyMs
      );
      const installed = await rulesRequest(
        proxy,
        'POST',
        (await rulesRequest(proxy, 'GET')).filter((r) => r.name !== probeRule.name),
      );
      return {
        evidence: {
          proxy: proxy.name,
          rule: installed.find((r) => r.name === name),
          probe: { command: `GET ${probeKey}`, ...probe },
        },
        revert: async () => {
          const before = await rulesRequest(proxy, 'GET');
          const after = await rulesRequest(
            proxy,
            'POST',
            before.filter((r) => r.name !== name),
          );
          const read = before.find((r) => r.name === name);
          return {
            commandsAffected: read?.matched ?? 0,
            rulesRemaining: after.filter((r) => r.name === name).map((r) => r.name),
          };
        },
      };
    },
  });
}

export const redisErrorFault = commandFault({
  kind: 'redis-error',
  description:
    'matching commands get an error reply instead of running (OOM, READONLY, LOADING, BUSY, MASTERDOWN, NOAUTH or a custom text)',
  params: {
    ...commandRule,
    error: z
      .string()
      .min(1)
      .regex(/^[^\r\n]+$/)
      .default('OOM')
      .meta({
        description:
          'OOM, READONLY, LOADING, BUSY, MASTERDOWN, NOAUTH (the real Redis texts) or a full error text such as "ERR custom"',
      }),
  },
  action: (spec) => ({ action: 'error', error: spec.error }),
});

export const commandLatencyFault = commandFault({
  kind: 'command-latency',
  description:
    'the replies of matching commands arrive latencyMs late (later replies on that connection wait behind them)',
  params: { ...commandRule, latencyMs: z.number().int().positive() },
  action: (spec) => ({ action: 'delay', latencyMs: spec.latencyMs }),
});

export const commandDropFault = commandFault({
  kind: 'command-drop',
  description: 'a matching command runs but its reply never comes: that connection hangs from there on',
  params: { ...commandRule },
  action: () => ({ action: 'drop' }),
});

export const commandCloseFault = commandFault({
  kind: 'command-close',
  description: 'the connection is closed when a matching command arrives (the command does not run)',
  params: { ...commandRule },
  action: () => ({ action: 'close' }),
});
