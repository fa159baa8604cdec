// Runs a suite the way the CLI shows it: live progress, Ctrl-C reverts and stops everything, the final table, journal
// and reports.
import { resolve } from 'node:path';
import { CachequakeError } from '../errors/index.ts';
import type { LoadedExperiment } from '../experiment/load-experiment.ts';
import type { SuiteOptions, SuiteResult } from '../engine/run-suite.ts';
import { parallelLevelText, parallelSummary } from '../reports/run-parallel.ts';

export interface ConsoleRun extends SuiteResult {
  reportHtml: string;
}

/** `run --live`: where the live view listens (default 127.0.0.1 and a free port). */
export interface LiveFlags {
  host?: string;
  port?: number;
}

export async function runWithConsole(
  experiments: LoadedExperiment[],
  options: Omit<SuiteOptions, 'signal' | 'log' | 'onProgress' | 'onEvent' | 'annotations'>,
  title = '',
  liveFlags?: LiveFlags,
): Promise<ConsoleRun> {
  const [{ runSuite }, { progressPrinter }, { resultTable }, { writeReports }] = await Promise.all([
    import('../engine/run-suite.ts'),
    import('./output/progress-printer.ts'),
    import('../reports/result-table.ts'),
    import('../reports/index.ts'),
  ]);
  const controller = new AbortController();
  const printer = progressPrinter();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    printer.log(`\n${signal}: reverting faults and stopping everything`);
    controller.abort(new CachequakeError(`interrupted (${signal})`, { code: 'CQ_INTERRUPTED' }));
  };
  const live =
    liveFlags &&
    (await (
      await import('../live/live-view.ts')
    ).startLiveView({
      ...liveFlags,
      log: (line) => printer.log(line),
      abort: (reason) => controller.abort(reason),
    }));
  if (live) printer.log(`live view: ${live.url}`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    printer.log(`running ${experiments.length} experiment(s)${title}`);
    const result = await runSuite(experiments, {
      ...options,
      signal: controller.signal,
      log: (line) => printer.log(line),
      onProgress: printer.onProgress,
      onEvent: (event) => {
        // before the first experiment the level and why; after the table the same with what was seen
        if (event.type === 'suite-queued' && event.parallel && parallelSummary({ parallel: event.parallel }))
          printer.log(parallelLevelText(event.parallel));
        live?.onEvent(event);
      },
      annotations: live?.annotations,
    });
    printer.done();
    const reportHtml = (await writeReports(result.journal, resolve(result.journalFile, '..'))).html;
    const parallel = parallelSummary(result.journal);
    process.stdout.write(
      `${resultTable(result.journal)}\n${parallel ? `${parallel}\n` : ''}journal: ${result.journalFile}\nreport: ${reportHtml}\n`,
    );
    await live?.finish(result.journal.status, reportHtml);
    return { ...result, reportHtml };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await live?.[Symbol.asyncDispose]();
  }
}
