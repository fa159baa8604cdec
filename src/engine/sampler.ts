// Probes sampled every second of the run: Redis INFO (straight to the server), the target's /metrics, and rotating
// slices of the session ledger and of the cache ledger (when the target has them).
import { request } from 'undici';
import type { CacheCheckSummary, CacheLedger } from '../ledger/cache-ledger.ts';
import type { SessionLedger, CheckSummary } from '../ledger/session-ledger.ts';
import { parsePrometheusText, type PromSample } from '../probes/prometheus-text.ts';
import { sampleRedisInfo, type RedisInfoSample } from '../probes/redis-info.ts';
import type { StartedEnvironment } from '../runtimes/started-environment.ts';
import type { PhaseClock } from './phase-clock.ts';

export interface Sample {
  /** ms from t = 0 when the sample was started. */
  tMs: number;
  /**
   * ms from t = 0 when its last answer arrived: everything the sample saw happened by then, so it is charted here (a
   * fault applied while the sample was in flight may show in it). Absent: read as tMs.
   */
  doneMs?: number;
  second: number;
  redis?: RedisInfoSample;
  target?: PromSample[];
  sessions?: CheckSummary;
  cache?: CacheCheckSummary;
}

export interface SamplerOptions {
  env: StartedEnvironment;
  /** The session ledger; a target without a session has none. */
  ledger: SessionLedger | undefined;
  /** The cache ledger and how many ids to read per second; a target without a cache has none. */
  cache?: { ledger: CacheLedger; samplePerSecond: number } | undefined;
  clock: PhaseClock;
  samplePerSecond: number;
  /** The target's Prometheus metrics; not scraped without one. */
  metricsUrl?: string;
  onSample?: (sample: Sample) => void;
}

export class Sampler {
  readonly samples: Sample[] = [];
  readonly #options: SamplerOptions;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #running: Promise<void> = Promise.resolve();

  constructor(options: SamplerOptions) {
    this.#options = options;
  }

  /** False for a target without a session section: no session is sampled. */
  get hasLedger(): boolean {
    return this.#options.ledger !== undefined;
  }

  /** Takes one sample now (also used before t = 0 and at the very end). */
  async sampleNow(withSessions = true): Promise<Sample> {
    const { env, ledger, cache, clock, samplePerSecond, metricsUrl } = this.#options;
    const tMs = clock.elapsedMs();
    const [redis, target, sessions, cacheReads] = await Promise.all([
      sampleRedisInfo(env.redis().admin, 800),
      metricsUrl ? scrape(metricsUrl) : Promise.resolve(undefined),
      ledger && withSessions && samplePerSecond > 0
        ? ledger.checkSample(samplePerSecond, Math.min(20, samplePerSecond))
        : Promise.resolve(undefined),
      cache && withSessions && cache.samplePerSecond > 0
        ? cache.ledger.checkSample(cache.samplePerSecond, Math.min(20, cache.samplePerSecond))
        : Promise.resolve(undefined),
    ]);
    const sample: Sample = {
      tMs: Math.round(tMs),
      doneMs: Math.ceil(clock.elapsedMs()),
      second: Math.floor(tMs / 1000),
      redis,
      target,
      sessions,
    };
    if (cacheReads) sample.cache = cacheReads;
    this.samples.push(sample);
    this.#options.onSample?.(sample);
    return sample;
  }

  start(): void {
    const tick = () => {
      const next = (Math.floor(this.#options.clock.elapsedMs() / 1000) + 1) * 1000;
      this.#timer = setTimeout(
        () => {
          if (!this.#busy) {
            this.#busy = true;
            this.#running = this.sampleNow()
              .then(
                () => undefined,
                () => undefined,
              )
              .finally(() => (this.#busy = false));
          }
          tick();
        },
        Math.max(0, next - this.#options.clock.elapsedMs()),
      );
    };
    tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#running;
  }
}

async function scrape(url: string): Promise<PromSample[] | undefined> {
  try {
    const res = await request(url, { headersTimeout: 800, bodyTimeout: 800 });
    const text = await res.body.text();
    return res.statusCode === 200 ? parsePrometheusText(text) : undefined;
  } catch {
    return undefined;
  }
}
