// A run's live view, wired: the state fed by the engine's events, the server, a halt that aborts the run as Ctrl-C
// does (with who and when), and the notes and halt handed to the journal.
import { CachequakeError } from '../errors/index.ts';
import type { RunEvent } from '../engine/run-events.ts';
import type { JournalHalt, JournalNote } from '../journal/journal-types.ts';
import { startLiveServer } from './live-server.ts';
import { LiveState } from './live-state.ts';

export interface LiveViewOptions {
  host?: string;
  port?: number;
  /** Aborts the run; the error says who halted it. */
  abort: (reason: CachequakeError) => void;
  log: (line: string) => void;
}

export interface StartedLiveView extends AsyncDisposable {
  url: string;
  onEvent: (event: RunEvent) => void;
  /** What runSuite copies into the journal (SuiteOptions.annotations). */
  annotations: { notes: JournalNote[]; halt?: JournalHalt };
  /** Tells the pages the run ended (and where its report is), then closes the server. */
  finish(status: string, report?: string): Promise<void>;
}

export async function startLiveView(options: LiveViewOptions): Promise<StartedLiveView> {
  const state = new LiveState();
  const annotations: StartedLiveView['annotations'] = { notes: state.notes };
  const server = await startLiveServer({
    state,
    host: options.host,
    port: options.port,
    onHalt: (halt) => {
      annotations.halt = halt;
      const reason = `halted from the live view by ${halt.by} (${halt.from}) at ${halt.at}`;
      options.log(`${reason}: reverting faults and stopping everything`);
      options.abort(new CachequakeError(reason, { code: 'CQ_HALTED' }));
    },
  });
  const finish = async (status: string, report?: string) => {
    state.ended(status, report);
    await server.close();
  };
  return {
    url: server.url,
    onEvent: (event) => state.apply(event),
    annotations,
    finish,
    [Symbol.asyncDispose]: () => server.close(),
  };
}
