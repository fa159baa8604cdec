// The console reporter: the final table the CLI prints after a run, rendered from the journal alone.
import { resultTable } from './result-table.ts';
import type { Reporter } from './reporter.ts';

export const consoleReporter: Reporter = { name: 'console', render: (journal) => `${resultTable(journal)}\n` };
