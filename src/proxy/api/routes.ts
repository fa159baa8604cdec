// The route table of the Toxiproxy API: path patterns (matched on the decoded path) and their method handlers.
import type { ProxyRegistry } from '../core/proxy-registry.ts';
import { populate, reset, version } from './admin-handlers.ts';
import { createProxy, deleteProxy, getProxy, listProxies, updateProxy } from './proxy-handlers.ts';
import type { Reply } from './reply.ts';
import { createToxic, deleteToxic, getToxic, listToxics, updateToxic } from './toxic-handlers.ts';
import { clearRedisRules, getRedisRules, setRedisRules } from './redis-rule-handlers.ts';

export interface RouteRequest {
  registry: ProxyRegistry;
  params: string[];
  body: string;
}

type Handler = (request: RouteRequest) => Promise<Reply> | Reply;

export interface Route {
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, Handler>>;
}

const segment = '([^/]+)';
const p = (params: string[], index: number): string => params[index] ?? '';

export const routes: readonly Route[] = [
  { pattern: /^\/reset$/, methods: { POST: ({ registry }) => reset(registry) } },
  { pattern: /^\/populate$/, methods: { POST: ({ registry, body }) => populate(registry, body) } },
  {
    pattern: /^\/proxies$/,
    methods: {
      GET: ({ registry }) => listProxies(registry),
      POST: ({ registry, body }) => createProxy(registry, body),
    },
  },
  {
    pattern: new RegExp(`^/proxies/${segment}$`),
    methods: {
      GET: ({ registry, params }) => getProxy(registry, p(params, 0)),
      POST: ({ registry, params, body }) => updateProxy(registry, p(params, 0), body),
      PATCH: ({ registry, params, body }) => updateProxy(registry, p(params, 0), body),
      DELETE: ({ registry, params }) => deleteProxy(registry, p(params, 0)),
    },
  },
  {
    pattern: new RegExp(`^/proxies/${segment}/toxics$`),
    methods: {
      GET: ({ registry, params }) => listToxics(registry, p(params, 0)),
      POST: ({ registry, params, body }) => createToxic(registry, p(params, 0), body),
    },
  },
  {
    pattern: new RegExp(`^/proxies/${segment}/toxics/${segment}$`),
    methods: {
      GET: ({ registry, params }) => getToxic(registry, p(params, 0), p(params, 1)),
      POST: ({ registry, params, body }) => updateToxic(registry, p(params, 0), p(params, 1), body),
      PATCH: ({ registry, params, body }) => updateToxic(registry, p(params, 0), p(params, 1), body),
      DELETE: ({ registry, params }) => deleteToxic(registry, p(params, 0), p(params, 1)),
    },
  },
  {
    // cachequake extension (a real Toxiproxy answers 404 here): RESP rules of a Redis link.
    pattern: new RegExp(`^/proxies/${segment}/redis-rules$`),
    methods: {
      GET: ({ registry, params }) => getRedisRules(registry, p(params, 0)),
      POST: ({ registry, params, body }) => setRedisRules(registry, p(params, 0), body),
      PUT: ({ registry, params, body }) => setRedisRules(registry, p(params, 0), body),
      DELETE: ({ registry, params }) => clearRedisRules(registry, p(params, 0)),
    },
  },
  { pattern: /^\/version$/, methods: { GET: () => version() } },
];

export type RouteMatch =
  { kind: 'found'; handler: Handler; params: string[] } | { kind: 'method-not-allowed' } | { kind: 'not-found' };

/** gorilla/mux behaviour: no match is 404, a path match with another method is 405. */
export function matchRoute(path: string, method: string): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const handler = route.methods[method];
    if (handler) return { kind: 'found', handler, params: match.slice(1) };
    pathMatched = true;
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}
