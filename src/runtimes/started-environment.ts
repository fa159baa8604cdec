// The started world of one experiment as the engine sees it, whoever runs it: local processes, containers or a staging
// environment.
import type { FaultContext } from './fault-context.ts';
import type { LoadedTarget } from '../targets/index.ts';
import type { Cluster, Redis } from 'ioredis';
import type { ProbeClientOptions } from './topology/started-topology.ts';

export type RuntimeName = 'local' | 'docker' | 'staging';

/** The service under test once it answers; `pid` only when this harness started it. */
export interface EnvironmentTarget {
  readonly url: string;
  readonly pid?: number;
  /** The last lines the target printed; empty when the harness does not see its output (staging). */
  logTail(lines?: number): string;
}

export interface StartedEnvironment extends FaultContext, AsyncDisposable {
  readonly runtime: RuntimeName;
  readonly target: EnvironmentTarget | undefined;
  readonly loadedTarget: LoadedTarget | undefined;
  /** The fault proxy's API: embedded, or a real Toxiproxy (TOXIPROXY_URL, a container, staging). */
  readonly proxy: { readonly url: string; readonly embedded: boolean };
  /** Where the target's Prometheus metrics are scraped; default: the target URL + the manifest's metrics path. */
  readonly metricsUrl?: string;
  /** Milliseconds from the start call until the target was healthy. */
  readonly startedInMs: number;
  versions(): Promise<Record<string, string>>;
  /**
   * A client that reaches Redis as the target does (through the proxies, topology-aware), for the write probe; local
   * runtime only.
   */
  probeClient?(options: ProbeClientOptions): Redis | Cluster;
  effectiveRedisConfig(): Promise<Record<string, string>>;
  /** Stops what this environment started (nothing, for staging) and closes its connections. Idempotent. */
  stop(): Promise<void>;
}

/** CONFIG GET * as a sorted record (empty when CONFIG is renamed or not permitted, as on many managed Redis). */
export async function readRedisConfig(admin: {
  config(...args: string[]): Promise<unknown>;
}): Promise<Record<string, string>> {
  const flat = (await admin.config('GET', '*').catch(() => [])) as string[];
  const config: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) config[flat[i] as string] = flat[i + 1] as string;
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
}
