// The open-model load driver: sends what is due every tick at a constant arrival rate, whatever the service does.
import { Pool } from 'undici';
import { LoadAggregator } from './load-aggregator.ts';
import { InFlightQueue } from './in-flight-queue.ts';
import { LoadRequest } from './load-request.ts';
import type { RequestSink } from './load-request.ts';
import { TrafficMix } from './traffic-mix.ts';
import { reasons } from './classify-outcome.ts';
import { checkRate, resolveLoadOptions } from './load-options.ts';
import type { ResolvedLoadOptions } from './load-options.ts';
import type { LoadEndReason, LoadOptions, LoadResult, LoadSnapshot, RunningLoad } from './types.ts';

/** Starts scheduling at once: the first request is due now. */
export function startLoad(options: LoadOptions): RunningLoad {
  return new LoadDriver(resolveLoadOptions(options));
}

class LoadDriver implements RunningLoad, RequestSink {
  readonly done: Promise<LoadResult>;
  private readonly options: ResolvedLoadOptions;
  private readonly aggregator: LoadAggregator;
  private readonly mix: TrafficMix;
  private readonly pool: Pool;
  private readonly queue = new InFlightQueue<LoadRequest>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly onAbort = () => this.abort();
  private resolveDone!: (result: LoadResult) => void;
  private rejectDone!: (error: unknown) => void;
  private rateRps: number;
  private intervalMs: number;
  /**
   * The schedule since the last rate change: request n after it is due at anchorMs + n × intervalMs (no float drift).
   */
  private anchorMs: number;
  private anchorSent = 0;
  private nextDueMs: number;
  private sent = 0;
  private inFlight = 0;
  private cancelledCount = 0;
  private phase: string;
  private endReason: LoadEndReason | null = null;
  /** When scheduling ended: phase and run durations stop there, the drain does not count. */
  private scheduleEndMs = Infinity;
  private finishedAtMs: number | null = null;

  constructor(options: ResolvedLoadOptions) {
    this.options = options;
    this.done = new Promise<LoadResult>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Whoever awaits `done` still sees a rejection; nobody awaiting it is not a crash.
    this.done.catch(() => {});
    this.aggregator = new LoadAggregator({
      clock: options.clock,
      highestLatencyMs: options.timeoutMs * 2 + 1000,
      originMs: options.originMs,
    });
    this.mix = new TrafficMix(options.mix);
    this.pool = new Pool(options.origin, {
      connections: options.maxInFlight,
      pipelining: 1,
      connectTimeout: options.timeoutMs,
      // Our own deadline (checked every tick) is the timeout; undici's coarser timers are only a safety net.
      headersTimeout: options.timeoutMs + 1000,
      bodyTimeout: options.timeoutMs + 1000,
    });
    this.rateRps = options.rateRps;
    this.intervalMs = this.rateRps > 0 ? 1000 / this.rateRps : Infinity;
    this.anchorMs = this.aggregator.startMs;
    this.nextDueMs = this.rateRps > 0 ? this.anchorMs : Infinity;
    this.phase = options.phaseSource();
    this.timer = setInterval(() => this.tick(), options.tickMs);
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted) this.abort();
    else this.tick();
  }

  setRate(rateRps: number): void {
    this.rateRps = checkRate(rateRps);
    this.intervalMs = this.rateRps > 0 ? 1000 / this.rateRps : Infinity;
    if (this.endReason !== null) return;
    if (this.rateRps === 0) {
      this.nextDueMs = Infinity;
      return;
    }
    this.anchorMs = Math.min(this.nextDueMs, this.options.clock() + this.intervalMs);
    this.anchorSent = this.sent;
    this.nextDueMs = this.anchorMs;
  }

  stop(): Promise<LoadResult> {
    if (this.endReason === null) this.endScheduling('stopped');
    this.tick();
    return this.done;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop().catch(() => {});
  }

  snapshot(): LoadSnapshot {
    const progress = this.aggregator.progress(this.finishedAtMs ?? this.options.clock());
    return {
      elapsedMs: Math.round(progress.elapsedMs),
      phase: this.phase,
      rateRps: this.rateRps,
      requests: progress.requests,
      errors: progress.errors,
      unauthorized: progress.unauthorized,
      inFlight: this.inFlight,
      rpsLastSecond: progress.lastSecond.requests,
      errorsLastSecond: progress.lastSecond.errors,
      p99MsLastSecond: progress.lastSecond.p99Ms,
    };
  }

  result(): LoadResult {
    const endMs = this.finishedAtMs ?? this.options.clock();
    return {
      startedAtMs: this.aggregator.startEpochMs,
      elapsedMs: Math.round(endMs - this.aggregator.startMs),
      endReason: this.finishedAtMs === null ? 'running' : (this.endReason ?? 'stopped'),
      cancelled: this.cancelledCount,
      series: this.aggregator.series(),
      phases: this.aggregator.phaseStats(),
      total: this.aggregator.totalStats(),
    };
  }

  complete(request: LoadRequest, reason: string | null): void {
    this.inFlight--;
    this.aggregator.completed(request.bucket, this.options.clock() - request.scheduledAtMs, reason);
  }

  private tick(): void {
    if (this.finishedAtMs !== null) return;
    try {
      const now = this.options.clock();
      if (this.endReason === null) this.phase = this.options.phaseSource();
      this.expireOverdue(now);
      if (this.endReason === null) this.sendDue(now);
      this.aggregator.advance(this.phase, Math.min(now, this.scheduleEndMs), now);
      if (this.endReason !== null && this.inFlight === 0) void this.finish();
    } catch (error) {
      this.abort(error);
    }
  }

  private expireOverdue(now: number): void {
    for (let head = this.queue.peek(); head; head = this.queue.peek()) {
      if (!head.done && head.deadlineMs > now) return;
      this.queue.shift();
      head.expire();
    }
  }

  private sendDue(now: number): void {
    const { maxDurationMs, maxRequests } = this.options;
    const endMs = this.aggregator.startMs + maxDurationMs;
    while (this.nextDueMs <= now) {
      // A request due at the end itself is not sent (the microsecond of slack absorbs float rounding).
      if (this.nextDueMs >= endMs - 1e-3) return this.endScheduling('max-duration');
      if (this.sent >= maxRequests) return this.endScheduling('max-requests');
      this.send(this.nextDueMs);
      this.sent++;
      this.nextDueMs = this.anchorMs + (this.sent - this.anchorSent) * this.intervalMs;
    }
    if (now >= endMs) this.endScheduling('max-duration');
    else if (this.sent >= maxRequests) this.endScheduling('max-requests');
  }

  private send(scheduledAtMs: number): void {
    const bucket = this.aggregator.bucketAt(scheduledAtMs, this.phase);
    if (this.inFlight >= this.options.maxInFlight) return this.aggregator.notSent(bucket, reasons.dropped);
    const route = this.mix.next();
    let headers = route.headers;
    if (route.authenticated) {
      const token = this.options.tokenSource();
      if (token === undefined) return this.aggregator.notSent(bucket, reasons.noToken);
      headers = { ...route.headers };
      this.options.attachToken(headers, token);
    }
    this.aggregator.scheduled(bucket);
    const request = new LoadRequest(this, bucket, scheduledAtMs, this.options.timeoutMs, route.authenticated);
    this.inFlight++;
    this.queue.push(request);
    try {
      this.pool.dispatch({ method: route.method, path: route.path, headers, body: route.body }, request);
    } catch (error) {
      request.onResponseError(null as never, error as Error);
    }
  }

  private endScheduling(reason: LoadEndReason): void {
    if (this.endReason !== null) return;
    this.endReason = reason;
    this.nextDueMs = Infinity;
    this.scheduleEndMs = Math.min(this.options.clock(), this.aggregator.startMs + this.options.maxDurationMs);
  }

  /** Abort signal (or a callback that threw): cancel everything in flight at once. */
  private abort(error?: unknown): void {
    if (this.finishedAtMs !== null) return;
    this.endScheduling('aborted');
    for (const request of this.queue.drain()) {
      if (request.cancel()) {
        this.inFlight--;
        this.cancelledCount++;
        this.aggregator.cancelled(request.bucket);
      }
    }
    void this.finish(error);
  }

  private async finish(error?: unknown): Promise<void> {
    if (this.finishedAtMs !== null) return;
    this.finishedAtMs = this.options.clock();
    clearInterval(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    await this.pool.destroy().catch(() => {});
    if (error === undefined) this.resolveDone(this.result());
    else this.rejectDone(error);
  }
}
