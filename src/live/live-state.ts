// What the live view knows of a run: the queue, each experiment's phases, faults and series as the engine reported
// them, the notes and a halt; every change handed to the listeners as a message for the page.
import type { RunEvent } from '../engine/run-events.ts';
import type {
  ExperimentJournal,
  ExperimentStatus,
  JournalFault,
  JournalHalt,
  JournalNote,
  JournalPhase,
  SeriesPoint,
} from '../journal/journal-types.ts';
import { experimentCharts, type ExperimentCharts } from '../reports/html/chart-specs.ts';

/** A fault as the page shows it: its journal record, or `injecting` (with the time it began) until it took effect. */
export type LiveFault = Omit<JournalFault, 'status'> & { status: JournalFault['status'] | 'injecting' };

export interface LiveExperiment {
  index: number;
  name: string;
  status: 'queued' | 'running' | ExperimentStatus;
  reason?: string;
  t0EpochMs?: number;
  elapsedMs: number;
  phase: string;
  phases: JournalPhase[];
  faults: LiveFault[];
  series: SeriesPoint[];
}

/** One message to the page: the whole state, one experiment's change (columns only from `columnsFrom` on), a note. */
export type LiveMessage =
  | { type: 'state'; serverNowMs: number; experiments: ExperimentView[]; notes: JournalNote[]; halt?: JournalHalt }
  | { type: 'experiment'; serverNowMs: number; experiment: ExperimentView }
  | { type: 'note'; note: JournalNote }
  | { type: 'halt'; halt: JournalHalt }
  | { type: 'run-ended'; status: string; report?: string };

export interface ExperimentView extends Omit<LiveExperiment, 'series'> {
  /** The charts of report.html, built by the same code; `columns` hold the values from index `columnsFrom` on. */
  charts: ExperimentCharts;
  columnsFrom: number;
}

export class LiveState {
  readonly experiments: LiveExperiment[] = [];
  readonly notes: JournalNote[] = [];
  halt: JournalHalt | undefined;
  readonly #listeners = new Set<(message: LiveMessage) => void>();
  /** Per experiment, how many seconds the listeners have been sent already. */
  readonly #sentSeconds = new Map<number, number>();

  subscribe(listener: (message: LiveMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Feeds one engine event (RunOptions.onEvent). */
  apply(event: RunEvent): void {
    if (event.type === 'suite-queued') {
      event.experiments.forEach((name, index) => this.#experiment(index, name));
      return;
    }
    const x = this.#experiment(event.index ?? 0, event.experiment);
    switch (event.type) {
      case 'experiment-started':
        Object.assign(x, { status: 'running', t0EpochMs: event.t0EpochMs, phases: event.phases, faults: event.faults });
        break;
      case 'series':
        Object.assign(x, { elapsedMs: event.elapsedMs, phase: event.phase, series: event.series });
        break;
      case 'fault':
        x.faults[event.fault.index] =
          event.injectingSinceMs === undefined
            ? event.fault
            : { ...event.fault, status: 'injecting', appliedAtMs: event.injectingSinceMs };
        break;
      case 'experiment-ended':
        Object.assign(x, { status: event.status, reason: event.reason });
        break;
    }
    this.#send({ type: 'experiment', serverNowMs: Date.now(), experiment: this.#view(x, true) });
  }

  addNote(note: Omit<JournalNote, 'experiment' | 'atMs'>): JournalNote {
    const running = this.experiments.find((x) => x.status === 'running' && x.t0EpochMs !== undefined);
    const full: JournalNote = running
      ? { ...note, experiment: running.name, atMs: Date.parse(note.at) - (running.t0EpochMs as number) }
      : note;
    this.notes.push(full);
    this.#send({ type: 'note', note: full });
    return full;
  }

  setHalt(halt: JournalHalt): void {
    this.halt ??= halt;
    this.#send({ type: 'halt', halt: this.halt });
  }

  ended(status: string, report?: string): void {
    this.#send({ type: 'run-ended', status, report });
  }

  /** Everything, for a page that just connected. */
  snapshot(): LiveMessage {
    return {
      type: 'state',
      serverNowMs: Date.now(),
      experiments: this.experiments.map((x) => this.#view(x, false)),
      notes: this.notes,
      halt: this.halt,
    };
  }

  #experiment(index: number, name: string): LiveExperiment {
    this.experiments[index] ??= {
      index,
      name,
      status: 'queued',
      elapsedMs: 0,
      phase: '',
      phases: [],
      faults: [],
      series: [],
    };
    return this.experiments[index];
  }

  /** The experiment as the page draws it; `tail`: only the seconds that may have changed since the last message. */
  #view(x: LiveExperiment, tail: boolean): ExperimentView {
    const { series, ...rest } = x;
    // the charts come from the code report.html uses, on the journal fields it reads
    const partial = { series, phases: x.phases, faults: x.faults } as unknown as ExperimentJournal;
    const charts = experimentCharts(partial, `live${x.index}`);
    // the last seconds change as their samples land (a sample describes the second before it): resend those
    const columnsFrom = tail ? Math.max(0, Math.min(this.#sentSeconds.get(x.index) ?? 0, series.length) - 2) : 0;
    if (tail) this.#sentSeconds.set(x.index, series.length);
    if (columnsFrom > 0)
      charts.columns = Object.fromEntries(
        Object.entries(charts.columns).map(([name, values]) => [name, values.slice(columnsFrom)]),
      );
    return { ...rest, faults: x.faults.filter(Boolean), charts, columnsFrom };
  }

  #send(message: LiveMessage): void {
    for (const listener of this.#listeners) listener(message);
  }
}
