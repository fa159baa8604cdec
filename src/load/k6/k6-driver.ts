// The k6 load driver: `k6 run --out json=… --summary-export=…` of the user's script through execa, converted to a
// LoadResult at the end.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { environmentError, invalidInput } from '../../errors/index.ts';
import type { LoadResult, LoadSnapshot, RunningLoad } from '../types.ts';
import { requireK6 } from './k6-binary.ts';
import { parseK6JsonOutput } from './k6-json-output.ts';
import { k6LoadResult, type PhaseWindow } from './k6-load-result.ts';
import { k6Requests } from './k6-requests.ts';
import { k6Thresholds, type K6Threshold } from './k6-thresholds.ts';

export interface K6LoadOptions {
  /** The k6 script, absolute. */
  script: string;
  baseUrl: string;
  rateRps: number;
  durationMs: number;
  timeoutMs: number;
  phases: readonly PhaseWindow[];
  /** Ledger tokens the script may use (CACHEQUAKE_TOKENS_FILE, a JSON array). */
  tokens: readonly string[];
  /** Epoch ms of t = 0, which the phases count from; default: when k6 is spawned. */
  startedAtMs?: number;
}

export interface RunningK6Load extends RunningLoad {
  /** k6's own thresholds, read from its summary once it stopped. */
  thresholds(): K6Threshold[];
}

/**
 * k6 exits with a result on 0, 99 (thresholds crossed) and 105 (stopped by our SIGINT); 104 and 107 are the user's
 * script or config.
 */
const resultCodes = new Set([0, 99, 105]);

function exitError(code: number | undefined, stderr: string, script: string) {
  const tail = stderr.split('\n').slice(-15).join('\n');
  if (code === 104 || code === 107)
    return invalidInput('CQ_K6_SCRIPT_INVALID', `k6 rejected the script ${script} (exit ${code}).`, {
      hint: `k6 said:\n${tail}`,
    });
  return environmentError('CQ_K6_FAILED', `k6 exited with ${code ?? 'a signal'} before producing a result.`, {
    hint: `k6 said:\n${tail}`,
  });
}

export async function startK6Load(options: K6LoadOptions): Promise<RunningK6Load> {
  const k6 = await requireK6();
  const dir = await mkdtemp(join(tmpdir(), 'cachequake-k6-'));
  const pointsFile = join(dir, 'points.json');
  const summaryFile = join(dir, 'summary.json');
  const tokensFile = join(dir, 'tokens.json');
  await writeFile(tokensFile, JSON.stringify(options.tokens));
  const startedAtMs = options.startedAtMs ?? Date.now();
  const env = {
    CACHEQUAKE_BASE_URL: options.baseUrl,
    CACHEQUAKE_RATE: String(options.rateRps),
    CACHEQUAKE_DURATION: `${Math.ceil(options.durationMs / 1000)}s`,
    CACHEQUAKE_TIMEOUT: `${options.timeoutMs}ms`,
    CACHEQUAKE_TOKENS_FILE: tokensFile,
  };
  const args = [
    'run',
    '--quiet',
    '--no-color',
    '--out',
    `json=${pointsFile}`,
    '--summary-export',
    summaryFile,
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    options.script,
  ];
  const child: ResultPromise = execa(k6, args, { reject: false, all: true, forceKillAfterDelay: 10_000 });
  let exited = false;
  let stopping = false;
  void child.finally(() => (exited = true));
  let thresholds: K6Threshold[] = [];
  let final: LoadResult | undefined;
  const empty = (): LoadResult => k6LoadResult([], { startedAtMs, phases: options.phases });
  const done = (async () => {
    const result = await child;
    try {
      if (!(result.exitCode !== undefined && resultCodes.has(result.exitCode)) && !(stopping && result.isTerminated))
        throw exitError(result.exitCode, String(result.all ?? ''), options.script);
      const text = await readFile(pointsFile, 'utf8').catch(() => '');
      final = k6LoadResult(k6Requests(parseK6JsonOutput(text, pointsFile).points), {
        startedAtMs,
        phases: options.phases,
        highestLatencyMs: options.timeoutMs * 2 + 1000,
      });
      thresholds = k6Thresholds(JSON.parse(await readFile(summaryFile, 'utf8').catch(() => '{}')));
      return final;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  done.catch(() => undefined);
  const snapshot = (): LoadSnapshot => ({
    elapsedMs: Date.now() - startedAtMs,
    phase: '',
    rateRps: options.rateRps,
    requests: 0,
    errors: 0,
    unauthorized: 0,
    inFlight: 0,
    rpsLastSecond: 0,
    errorsLastSecond: 0,
    p99MsLastSecond: 0,
  });
  const stop = async () => {
    // k6 ends by itself after the duration (it started a little after t = 0: give it a few seconds); earlier (abort,
    // error) SIGINT makes it stop gracefully and still write its points and summary
    if (!exited && !stopping) {
      stopping = true;
      const remainingMs = startedAtMs + options.durationMs - Date.now();
      if (remainingMs < 1000)
        await Promise.race([
          done.catch(() => undefined),
          new Promise((r) => setTimeout(r, Math.max(0, remainingMs) + 5000).unref()),
        ]);
      if (!exited) child.kill('SIGINT');
    }
    return done;
  };
  return {
    setRate: () => {
      throw new Error('the k6 driver cannot change its rate during a run');
    },
    snapshot,
    result: () => final ?? empty(),
    done,
    stop,
    thresholds: () => thresholds,
    [Symbol.asyncDispose]: async () => {
      await stop().catch(() => undefined);
    },
  };
}
