// Live progress of a run: one rewritten line on a terminal, a plain line every few seconds in CI logs.
import type { ProgressEvent } from '../../engine/run-experiment.ts';

export function progressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  plainEveryMs = 5000,
): { onProgress: (e: ProgressEvent) => void; log: (line: string) => void; done: () => void } {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let lastPlain = 0;
  let dirty = false;
  // rates of the last complete second, not running totals; the sessions of the worst ledger sample as "n of m"
  const line = (e: ProgressEvent) =>
    `[${e.experiment}] ${e.phase.padEnd(8)} ${(e.elapsedMs / 1000).toFixed(0).padStart(3)}s/${(e.totalMs / 1000).toFixed(0)}s  ${String(e.rps).padStart(4)} req/s  ${String(e.errorsPerSecond ?? 0).padStart(4)} errors/s  p99 ${e.p99Ms.toFixed(0)}ms${e.hasSessions === false ? '' : e.sessionsSampled ? `  lost ${e.sessionsLost} of ${e.sessionsSampled} sampled` : '  no session sampled yet'}${e.cacheStale === undefined ? '' : `  cache stale (sample) ${e.cacheStale}`}`;
  /** On a terminal: a bar of the run's progress in front of the line. */
  const bar = (e: ProgressEvent, width = 20) => {
    const done = Math.max(0, Math.min(width, Math.round((e.elapsedMs / Math.max(1, e.totalMs)) * width)));
    return `${'█'.repeat(done)}${'░'.repeat(width - done)} `;
  };
  return {
    onProgress(e) {
      if (tty) {
        stream.write(`\r\x1b[2K${bar(e)}${line(e)}`);
        dirty = true;
      } else if (e.elapsedMs - lastPlain >= plainEveryMs || e.elapsedMs < lastPlain) {
        lastPlain = e.elapsedMs;
        stream.write(`${line(e)}\n`);
      }
    },
    log(text) {
      if (dirty) stream.write('\r\x1b[2K');
      dirty = false;
      stream.write(`${text}\n`);
    },
    done() {
      if (dirty) stream.write('\n');
      dirty = false;
    },
  };
}
