// The run's teardown: every started thing registers its cleanup as it starts; at the end they run in reverse order,
// each one even when another failed, and a failed cleanup becomes the failed journal step `teardown`, never swallowed.
import { environmentError, isCachequakeError } from '../errors/index.ts';
import type { StepRecorder } from './step-recorder.ts';

/** A registered cleanup; dismiss() when the run already stopped the thing itself, so teardown leaves it alone. */
export interface Deferred {
  dismiss(): void;
}

interface FailedCleanup {
  name: string;
  error: unknown;
}

export class Teardown {
  readonly #stack = new AsyncDisposableStack();
  readonly #failures: FailedCleanup[] = [];
  #registered = 0;

  /** Registers `cleanup` under a name the journal can show; cleanups run last-registered first. */
  defer(name: string, cleanup: () => unknown): Deferred {
    let dismissed = false;
    this.#registered++;
    this.#stack.defer(async () => {
      if (dismissed) return;
      try {
        await cleanup();
      } catch (error) {
        this.#failures.push({ name, error });
      }
    });
    return {
      dismiss: () => {
        dismissed = true;
      },
    };
  }

  /** Runs every cleanup as the journal step `teardown`; failed cleanups fail the step (the run's verdict stands). */
  async run(steps: StepRecorder): Promise<void> {
    await steps
      .run(
        'teardown',
        async () => {
          await this.#stack.disposeAsync();
          if (this.#failures.length) throw this.#error();
        },
        () => ({ cleanups: this.#registered }),
      )
      .catch(() => undefined); // journaled by the step: the run's verdict is not the teardown's
  }

  #error() {
    const failed = this.#failures.map(({ name, error }) => {
      const code = isCachequakeError(error) ? ` [${error.code}]` : '';
      return `${name}${code}: ${error instanceof Error ? error.message : String(error)}`;
    });
    return environmentError(
      'CQ_TEARDOWN_FAILED',
      `${failed.length} of ${this.#registered} cleanups failed: ${failed.join('; ')}.`,
      {
        cause: this.#failures[0]?.error,
        hint: 'The other cleanups ran. Check that no process of this run is left behind (`ps`) and that the Redis config was set back (safety in the journal).',
      },
    );
  }
}
