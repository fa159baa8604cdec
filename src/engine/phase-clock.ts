// The run's clock: t = 0 when the load starts, the three phases as windows on it, and abortable waits.
import type { JournalPhase } from '../journal/journal-types.ts';

export type PhaseName = 'baseline' | 'fault' | 'recovery';

export class PhaseClock {
  readonly t0: number;
  readonly startedAtEpochMs: number;
  readonly windows: { name: PhaseName; startMs: number; endMs: number }[];
  readonly #now: () => number;

  constructor(
    phasesMs: { baseline: number; fault: number; recovery: number },
    now: () => number = () => performance.now(),
  ) {
    this.#now = now;
    this.t0 = now();
    this.startedAtEpochMs = Date.now();
    const b = phasesMs.baseline;
    const f = b + phasesMs.fault;
    this.windows = [
      { name: 'baseline', startMs: 0, endMs: b },
      { name: 'fault', startMs: b, endMs: f },
      { name: 'recovery', startMs: f, endMs: f + phasesMs.recovery },
    ];
  }

  /** Milliseconds since t = 0. */
  elapsedMs(): number {
    return this.#now() - this.t0;
  }

  phaseAt(ms: number): PhaseName {
    for (const w of this.windows) if (ms < w.endMs) return w.name;
    return 'recovery';
  }

  current(): PhaseName {
    return this.phaseAt(this.elapsedMs());
  }

  window(name: PhaseName): { startMs: number; endMs: number } {
    return this.windows.find((w) => w.name === name) as { startMs: number; endMs: number };
  }

  get endMs(): number {
    return (this.windows[2] as { endMs: number }).endMs;
  }

  /** Waits until t = ms (or the signal aborts); returns false when aborted. Never returns early on this clock. */
  async sleepUntil(ms: number, signal?: AbortSignal): Promise<boolean> {
    // a timer may fire a fraction of a ms before this clock reaches its time: wait again for the rest
    for (let wait = ms - this.elapsedMs(); wait > 0; wait = ms - this.elapsedMs()) {
      if (signal?.aborted) return false;
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(true);
          },
          Math.max(1, Math.ceil(wait)),
        );
        const onAbort = () => {
          clearTimeout(timer);
          resolve(false);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      if (!woke) return false;
    }
    return !signal?.aborted;
  }

  journalPhases(): JournalPhase[] {
    return this.windows.map((w) => ({
      name: w.name,
      startMs: w.startMs,
      endMs: w.endMs,
      startedAt: new Date(this.startedAtEpochMs + w.startMs).toISOString(),
    }));
  }
}
