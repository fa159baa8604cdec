// Faults on single Redis commands through the proxy's RESP layer: error replies, delayed or dropped replies, a close on
// a match.
import type { Proxy } from 'toxiproxy-node-client';
import { environmentError } from '../errors/index.ts';
import type { FaultContext } from '../runtimes/fault-context.ts';
import type { FaultImplementation } from './fault-implementation.ts';
import type { FaultSpecOf } from './fault-schema.ts';
import { linkPort } from '../runtimes/proxy-links.ts';
import { probeCommand } from '../probes/command-probe.ts';

type CommandFaultKind = 'redis-error' | 'command-latency' | 'command-drop' | 'command-close';
type Rule = Record<string, unknown> & { name: string };

/** Our fault kind → the rule the proxy's /redis-rules takes (minus the name). */
function ruleOf(spec: FaultSpecOf<CommandFaultKind>): Record<string, unknown> {
  const match = {
    commands: spec.commands,
    ...(spec.keys === undefined ? {} : { keys: spec.keys }),
    probability: spec.probability,
  };
  switch (spec.kind) {
    case 'redis-error':
      return { action: 'error', ...match, error: spec.error };
    case 'command-latency':
      return { action: 'delay', ...match, latencyMs: spec.latencyMs };
    case 'command-drop':
      return { action: 'drop', ...match };
    case 'command-close':
      return { action: 'close', ...match };
  }
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

function commandFault<K extends CommandFaultKind>(kind: K, description: string): FaultImplementation<K> {
  return {
    kind,
    group: 'redis',
    description,
    plan: (spec) => [
      `RESP rule on the redis link: POST /proxies/{redis}/redis-rules ${JSON.stringify(ruleOf(spec))} (with the rules already there) … removed at the end`,
    ],
    async inject(ctx: FaultContext, spec) {
      const proxy = ctx.link('redis');
      const endpoint = ctx.linkEndpoint?.('redis') ?? { host: '127.0.0.1', port: linkPort(proxy) };
      const id = ++counter;
      const name = `cachequake-${kind}-${id}`;
      const rule: Rule = { name, ...ruleOf(spec) };
      // A probe rule with probability 1 on a key nothing else uses shows the rule's action on a real command through
      // the link.
      const probeKey = `cachequake:probe:${kind}:${id}`;
      const probeRule: Rule = { ...rule, name: `${name}-probe`, commands: ['GET'], keys: probeKey, probability: 1 };
      const existing = await rulesRequest(proxy, 'GET');
      await rulesRequest(proxy, 'POST', [...existing, rule, probeRule]);
      const probe = await probeCommand(
        endpoint.host,
        endpoint.port,
        ['GET', probeKey],
        kind === 'command-latency' ? Number(rule.latencyMs) + 1000 : 500,
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
          const ours = before.find((r) => r.name === name);
          return {
            commandsAffected: ours?.matched ?? 0,
            rulesRemaining: after.filter((r) => r.name === name).map((r) => r.name),
          };
        },
      };
    },
  };
}

export const redisErrorFault = commandFault(
  'redis-error',
  'matching commands get an error reply instead of running (OOM, READONLY, LOADING, BUSY, MASTERDOWN, NOAUTH or a custom text)',
);
export const commandLatencyFault = commandFault(
  'command-latency',
  'the replies of matching commands arrive latencyMs late (later replies on that connection wait behind them)',
);
export const commandDropFault = commandFault(
  'command-drop',
  'a matching command runs but its reply never comes: that connection hangs from there on',
);
export const commandCloseFault = commandFault(
  'command-close',
  'the connection is closed when a matching command arrives (the command does not run)',
);
