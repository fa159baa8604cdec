// The cache ledger: every id of the target's cache read path read at baseline, sampled during the run and read again
// at the end; an answer that differs from the baseline one is stale (a 5xx or no answer is an error, not stale).
import { Agent } from 'undici';
import { environmentError } from '../errors/index.ts';
import { cacheAnswer, cacheIds, cacheReadRequest, type CacheSection, type LoadedTarget } from '../targets/index.ts';
import { httpCall } from './http-call.ts';
import { inBatches } from './in-batches.ts';

export type CacheReadOutcome = 'same' | 'stale' | 'error';

interface CacheEntry {
  id: number;
  /** The answer at baseline (status and body, ignoreFields left out). */
  baseline: string;
  /** The first answer that differed from the baseline, kept as evidence. */
  staleAnswer?: string;
  last?: CacheReadOutcome;
}

export interface CacheCheckSummary {
  checked: number;
  same: number;
  stale: number;
  errors: number;
  errorReasons: Record<string, number>;
}

/** A stale id as evidence: what it answered at baseline and the first answer that differed. */
export interface StaleExample {
  id: number;
  baseline: string;
  seen: string;
}

export class CacheLedger {
  readonly entries: CacheEntry[] = [];
  /** Ids that did not answer below 300 at baseline (not compared afterwards), by reason. */
  readonly baselineFailures: Record<string, number> = {};
  /** Reads compared with the baseline during the run and at the end. */
  reads = 0;
  readonly #cache: CacheSection;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #agent = new Agent({ connections: 32 });
  #cursor = 0;

  constructor(cache: CacheSection, baseUrl: string, timeoutMs = 2000) {
    this.#cache = cache;
    this.#baseUrl = baseUrl;
    this.#timeoutMs = timeoutMs;
  }

  /** Reads every id once; the answers are the right ones from now on. Fails if no id answered. */
  async readBaseline(target: LoadedTarget, concurrency: number): Promise<void> {
    const ids = cacheIds(this.#cache);
    await inBatches(ids.length, concurrency, async (i) => {
      const id = ids[i] as number;
      const result = await httpCall(this.#baseUrl, cacheReadRequest(this.#cache, id), this.#timeoutMs, this.#agent);
      if (result.ok && result.response.status < 300)
        this.entries.push({ id, baseline: cacheAnswer(this.#cache, result.response.status, result.response.body) });
      else {
        const reason = result.ok ? `status:${result.response.status}` : result.reason;
        this.baselineFailures[reason] = (this.baselineFailures[reason] ?? 0) + 1;
      }
    });
    this.entries.sort((a, b) => a.id - b.id);
    if (this.entries.length === 0)
      throw environmentError(
        'CQ_CACHE_BASELINE_FAILED',
        `no id of cache.ids (${this.#cache.ids.from}..${this.#cache.ids.to}) answered ${this.#cache.read.method} ${this.#cache.read.path} with 2xx before any fault.`,
        {
          file: target.file,
          hint: `Answers: ${JSON.stringify(this.baselineFailures).slice(0, 300)}. Check cache.read.path and cache.ids with cachequake target check.`,
        },
      );
  }

  /** Reads the next `count` ids in rotation. */
  async checkSample(count: number, concurrency: number): Promise<CacheCheckSummary> {
    const picked: CacheEntry[] = [];
    for (let i = 0; i < Math.min(count, this.entries.length); i++)
      picked.push(this.entries[this.#cursor++ % this.entries.length] as CacheEntry);
    return this.#check(picked, concurrency);
  }

  async checkAll(concurrency: number): Promise<CacheCheckSummary> {
    return this.#check(this.entries, concurrency);
  }

  /** Ids that answered differently from the baseline at least once (during the run or at the end). */
  staleIds(): number[] {
    return this.entries.filter((e) => e.staleAnswer !== undefined).map((e) => e.id);
  }

  /** Up to `max` stale ids with both answers, each cut to 200 characters. */
  staleExamples(max = 3): StaleExample[] {
    return this.entries
      .filter((e) => e.staleAnswer !== undefined)
      .slice(0, max)
      .map((e) => ({ id: e.id, baseline: e.baseline.slice(0, 200), seen: (e.staleAnswer ?? '').slice(0, 200) }));
  }

  async close(): Promise<void> {
    await this.#agent.close().catch(() => {});
  }

  async #check(entries: CacheEntry[], concurrency: number): Promise<CacheCheckSummary> {
    const summary: CacheCheckSummary = { checked: 0, same: 0, stale: 0, errors: 0, errorReasons: {} };
    await inBatches(entries.length, concurrency, async (i) => {
      const entry = entries[i] as CacheEntry;
      const result = await httpCall(
        this.#baseUrl,
        cacheReadRequest(this.#cache, entry.id),
        this.#timeoutMs,
        this.#agent,
      );
      summary.checked++;
      this.reads++;
      if (!result.ok || result.response.status >= 500) {
        entry.last = 'error';
        summary.errors++;
        const reason = result.ok ? `status:${result.response.status}` : result.reason;
        summary.errorReasons[reason] = (summary.errorReasons[reason] ?? 0) + 1;
        return;
      }
      const answer = cacheAnswer(this.#cache, result.response.status, result.response.body);
      if (answer === entry.baseline) {
        entry.last = 'same';
        summary.same++;
      } else {
        entry.last = 'stale';
        entry.staleAnswer ??= answer;
        summary.stale++;
      }
    });
    return summary;
  }
}
