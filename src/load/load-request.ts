// One request in flight: an undici dispatch handler that reports its outcome once, whether it ended, failed or timed
// out.
import type { Dispatcher } from 'undici';
import { classifyError, classifyStatus, reasons } from './classify-outcome.ts';
import type { Bucket } from './load-totals.ts';

export interface RequestSink {
  /** Called exactly once per request that was not cancelled; `reason` null means ok. */
  complete(request: LoadRequest, reason: string | null): void;
}

class LoadTimeoutError extends Error {
  override readonly name = 'LoadTimeoutError';
  readonly code = 'UND_ERR_ABORTED';
}

class LoadCancelledError extends Error {
  override readonly name = 'LoadCancelledError';
  readonly code = 'UND_ERR_ABORTED';
}

export class LoadRequest implements Dispatcher.DispatchHandler {
  readonly bucket: Bucket;
  readonly scheduledAtMs: number;
  readonly deadlineMs: number;
  private readonly authenticated: boolean;
  private readonly sink: RequestSink;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  /** True once the outcome is reported (or the request cancelled): later callbacks are ignored. */
  done = false;

  constructor(sink: RequestSink, bucket: Bucket, scheduledAtMs: number, timeoutMs: number, authenticated: boolean) {
    this.sink = sink;
    this.bucket = bucket;
    this.scheduledAtMs = scheduledAtMs;
    this.deadlineMs = scheduledAtMs + timeoutMs;
    this.authenticated = authenticated;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Timed out or cancelled before undici had a connection for it: abort as soon as it can be.
    if (this.done) controller.abort(new LoadCancelledError('request no longer wanted'));
    else this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(): void {
    // The body is read and discarded; latency counts until its end.
  }

  onResponseEnd(): void {
    this.finish(classifyStatus(this.status, this.authenticated));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.finish(classifyError(error));
  }

  /** The deadline passed: report a timeout and abort the exchange. */
  expire(): void {
    if (this.done) return;
    const controller = this.controller;
    this.finish(reasons.timeout);
    controller?.abort(new LoadTimeoutError('load request timed out'));
  }

  /** Stop without reporting an outcome (the run was aborted). Returns false if it had already finished. */
  cancel(): boolean {
    if (this.done) return false;
    this.done = true;
    this.controller?.abort(new LoadCancelledError('load cancelled'));
    return true;
  }

  private finish(reason: string | null): void {
    if (this.done) return;
    this.done = true;
    this.controller = null;
    this.sink.complete(this, reason);
  }
}
