// Runs the faults on schedule within the fault phase: inject at `at`, revert after `for`, timing and evidence in the
// journal.
import { isCachequakeError } from '../errors/index.ts';
import type { FaultContext } from '../runtimes/fault-context.ts';
import type { InjectedFault } from '../faults/fault-implementation.ts';
import { guardedInject, type FaultSafety } from '../safety/guarded-inject.ts';
import type { FaultSpec } from '../faults/fault-schema.ts';
import type { JournalFault } from '../journal/journal-types.ts';
import { toJournalError } from './journal-error.ts';
import type { PhaseClock } from './phase-clock.ts';

interface Scheduled {
  spec: FaultSpec;
  record: JournalFault;
  injected?: InjectedFault;
  injecting?: Promise<void>;
  reverting?: Promise<void>;
  timers: NodeJS.Timeout[];
}

export class FaultScheduler {
  readonly records: JournalFault[] = [];
  readonly #items: Scheduled[];
  readonly #ctx: FaultContext;
  readonly #clock: PhaseClock;
  readonly #log: (line: string) => void;
  readonly #safety: FaultSafety;
  readonly #onChange: (record: JournalFault, injectingSinceMs?: number) => void;

  /**
   * `safety`: the staging clearance and backup bounds; without them destructive faults reach only a Redis this harness
   * started. `onChange`: told when a fault's injection begins (with `injectingSinceMs`, ms from t = 0), and each time
   * it was applied, failed or reverted (the live view).
   */
  constructor(
    faults: FaultSpec[],
    ctx: FaultContext,
    clock: PhaseClock,
    log: (line: string) => void,
    safety: FaultSafety = {},
    onChange: (record: JournalFault, injectingSinceMs?: number) => void = () => {},
  ) {
    this.#safety = safety;
    this.#onChange = onChange;
    this.#ctx = ctx;
    this.#clock = clock;
    this.#log = log;
    const fault = clock.window('fault');
    this.#items = faults.map((spec, index) => {
      const { kind, at, for: forMs, ...rest } = spec;
      const scheduledAtMs = fault.startMs + (at ?? 0);
      const revertAt = forMs === undefined ? fault.endMs : scheduledAtMs + forMs;
      const record: JournalFault = {
        index,
        kind,
        params: { ...rest, at: at ?? 0, for: revertAt - scheduledAtMs },
        scheduledAtMs,
        revertScheduledAtMs: revertAt,
        status: 'pending',
      };
      this.records.push(record);
      return { spec, record, timers: [] };
    });
  }

  /** Arms the timers; call right after t = 0. */
  start(): void {
    for (const item of this.#items) {
      const { scheduledAtMs, revertScheduledAtMs } = item.record;
      item.timers.push(setTimeout(() => void this.#inject(item), Math.max(0, scheduledAtMs - this.#clock.elapsedMs())));
      item.timers.push(
        setTimeout(
          () => void this.#revert(item),
          Math.max(0, (revertScheduledAtMs as number) - this.#clock.elapsedMs()),
        ),
      );
    }
  }

  /** The time the last fault was reverted (ms from t = 0), for recovery. */
  lastRevertMs(): number | undefined {
    const times = this.records.map((r) => r.revertedAtMs ?? r.appliedAtMs).filter((t): t is number => t !== undefined);
    return times.length ? Math.max(...times) : undefined;
  }

  /** Reverts everything now (abort, error, end of the fault phase); safe to call more than once. */
  async revertAll(): Promise<void> {
    for (const item of this.#items) for (const t of item.timers) clearTimeout(t);
    await Promise.all(this.#items.map((item) => this.#revert(item)));
  }

  #inject(item: Scheduled): Promise<void> {
    item.injecting ??= (async () => {
      const duration = (item.record.revertScheduledAtMs as number) - item.record.scheduledAtMs;
      try {
        // A timer may fire a fraction of a ms before the phase clock reaches its time: wait for it, so a fault is never
        // applied (or charted) before it was scheduled and the lag is never negative.
        await this.#clock.sleepUntil(item.record.scheduledAtMs);
        // The fault counts as applied when its command or toxic took effect; evidence probes may run on after that.
        const started = this.#clock.elapsedMs();
        this.#log(`fault ${item.record.index + 1} ${item.spec.kind}: inject`);
        this.#onChange(item.record, Math.round(started));
        item.injected = await guardedInject(this.#ctx, item.spec, duration, this.#safety, item.record.index);
        item.record.appliedAtMs = Math.round(started);
        item.record.lagMs = Math.max(0, Math.round((started - item.record.scheduledAtMs) * 10) / 10);
        item.record.evidence = item.injected.evidence;
        item.record.status = 'applied';
      } catch (error) {
        item.record.status = 'failed';
        item.record.error = toJournalError(error);
        this.#log(`fault ${item.record.index + 1} ${item.spec.kind}: failed: ${item.record.error.message}`);
        // refused by the guard or the backup bound: nothing was sent, and the run stops (exit 2)
        if (isCachequakeError(error) && error.kind === 'invalid-input') this.#safety.onRefused?.(error);
      }
      this.#onChange(item.record);
    })();
    return item.injecting;
  }

  #revert(item: Scheduled): Promise<void> {
    item.reverting ??= (async () => {
      for (const t of item.timers) clearTimeout(t);
      if (!item.injecting) {
        item.record.status = item.record.status === 'pending' ? 'pending' : item.record.status;
        return; // never injected: nothing to undo
      }
      await item.injecting;
      if (item.record.status !== 'applied') return;
      if (!item.injected?.revert) {
        item.record.reversible = false;
        item.record.status = 'reverted';
        item.record.revertedAtMs = item.record.appliedAtMs;
        this.#onChange(item.record);
        return;
      }
      try {
        this.#log(`fault ${item.record.index + 1} ${item.spec.kind}: revert`);
        item.record.revertEvidence = await item.injected.revert();
        item.record.revertedAtMs = Math.round(this.#clock.elapsedMs());
        item.record.status = 'reverted';
      } catch (error) {
        item.record.status = 'not-reverted';
        item.record.error = toJournalError(error);
        this.#log(`fault ${item.record.index + 1} ${item.spec.kind}: REVERT FAILED: ${item.record.error.message}`);
      }
      this.#onChange(item.record);
    })();
    return item.reverting;
  }
}
