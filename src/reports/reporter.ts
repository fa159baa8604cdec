// The reporter contract: a name, the file it writes beside journal.json (none for the console), and a pure render of
// the journal.
import type { Journal } from '../journal/journal-types.ts';

export interface Reporter {
  readonly name: string;
  /** The file written into the run directory, e.g. `report.html`; undefined when the reporter only prints. */
  readonly fileName?: string;
  /** Renders from the journal alone: no clock, no environment, no other file. */
  render(journal: Journal): string;
}
