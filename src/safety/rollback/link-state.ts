// A Toxiproxy proxy's state as the rollback log records it (enabled, toxics and RESP rules by name), and setting a
// proxy back to it: the toxics and rules a run added removed, a link it disabled enabled again.
import type { LinkState } from './rollback-entries.ts';

const timeoutMs = 3000;

interface ProxyBody {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: { name: string }[];
}

type Rule = Record<string, unknown> & { name: string };

export interface LinkUndo {
  link: string;
  toxicsRemoved: string[];
  rulesRemoved: string[];
  enabledAgain: boolean;
}

/** `proxyPath`: `<toxiproxy url>/proxies/<name>`. */
export function proxyPath(toxiproxyUrl: string, name: string): string {
  return `${toxiproxyUrl.replace(/\/$/, '')}/proxies/${encodeURIComponent(name)}`;
}

async function request(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await request(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered HTTP ${response.status}: ${text.trim()}`);
  return JSON.parse(text) as T;
}

/** The RESP rules of a proxy, or undefined where there is no RESP layer (a real Toxiproxy answers 404). */
async function readRules(path: string): Promise<Rule[] | undefined> {
  const response = await request(`${path}/redis-rules`);
  const text = await response.text();
  if (!response.ok) return undefined;
  return (JSON.parse(text) as { rules?: Rule[] }).rules ?? [];
}

export async function readLinkState(path: string): Promise<LinkState & { body: ProxyBody }> {
  const body = await json<ProxyBody>(path);
  const rules = await readRules(path);
  return {
    name: body.name,
    enabled: body.enabled,
    toxics: body.toxics.map((t) => t.name),
    ...(rules ? { rules: rules.map((r) => r.name) } : {}),
    body,
  };
}

/** What a fault added to a link: the names there now that were not there before (only cachequake's own names). */
export function addedSince(before: LinkState, now: LinkState): { toxics: string[]; rules: string[] } {
  const ours = (name: string) => name.startsWith('cachequake-');
  return {
    toxics: now.toxics.filter((n) => !before.toxics.includes(n) && ours(n)),
    rules: (now.rules ?? []).filter((n) => !(before.rules ?? []).includes(n) && ours(n)),
  };
}

/**
 * Sets a link back to `before`: removes `added` (or, without it, every cachequake toxic and rule that was not there
 * before) and enables it if it was enabled. Idempotent: what is already gone is left alone.
 */
export async function undoLink(
  path: string,
  before: LinkState,
  added?: { toxics: string[]; rules: string[] },
): Promise<LinkUndo> {
  const now = await readLinkState(path);
  const remove = added ?? addedSince(before, now);
  const toxicsRemoved = remove.toxics.filter((n) => now.toxics.includes(n));
  for (const name of toxicsRemoved) {
    const response = await request(`${path}/toxics/${encodeURIComponent(name)}`, { method: 'DELETE' });
    await response.body?.cancel();
    if (!response.ok && response.status !== 404)
      throw new Error(`DELETE ${path}/toxics/${name} answered HTTP ${response.status}`);
  }
  const rulesRemoved = remove.rules.filter((n) => (now.rules ?? []).includes(n));
  if (rulesRemoved.length) {
    const rules = (await readRules(path)) ?? [];
    await json(`${path}/redis-rules`, {
      method: 'POST',
      body: JSON.stringify({ rules: rules.filter((r) => !rulesRemoved.includes(r.name)) }),
    });
  }
  const enabledAgain = before.enabled && !now.enabled;
  if (enabledAgain)
    await json(path, {
      method: 'POST',
      body: JSON.stringify({ enabled: true, listen: now.body.listen, upstream: now.body.upstream }),
    });
  return { link: before.name, toxicsRemoved, rulesRemoved, enabledAgain };
}
