// Records each step of a run as {name, start, end, durationMs, status, output, error} for the journal.
import type { JournalStep } from '../journal/journal-types.ts';
import { toJournalError } from './journal-error.ts';

export class StepRecorder {
  readonly steps: JournalStep[] = [];

  async run<T>(name: string, body: () => Promise<T>, output?: (value: T) => unknown): Promise<T> {
    const start = new Date();
    const began = performance.now();
    try {
      const value = await body();
      this.steps.push({
        name,
        start: start.toISOString(),
        end: new Date().toISOString(),
        durationMs: Math.round(performance.now() - began),
        status: 'succeeded',
        ...(output ? { output: output(value) } : {}),
      });
      return value;
    } catch (error) {
      this.steps.push({
        name,
        start: start.toISOString(),
        end: new Date().toISOString(),
        durationMs: Math.round(performance.now() - began),
        status: 'failed',
        error: toJournalError(error),
      });
      throw error;
    }
  }

  skipped(name: string, why: string): void {
    const now = new Date().toISOString();
    this.steps.push({ name, start: now, end: now, durationMs: 0, status: 'skipped', output: why });
  }
}
