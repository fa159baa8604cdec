// Splits the selected experiments into n shards, the same way on every CI runner: each experiment, longest first, goes
// to the shard with the least time so far. Pure: no clock, no files, no ports.
import { createHash } from 'node:crypto';
import { invalidInput } from '../errors/index.ts';

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

export const maxShardCount = 256;

/** Where a shard spec came from, named in its error: the flag or the environment variable. */
export type ShardSource = '--shard' | 'CACHEQUAKE_SHARD';

/** `"2/4"` → { index: 2, count: 4 }; anything else is invalid input naming the flag or variable and the fix. */
export function parseShardSpec(text: string, source: ShardSource): ShardSpec {
  const shown = source === '--shard' ? `--shard ${JSON.stringify(text)}` : `CACHEQUAKE_SHARD=${JSON.stringify(text)}`;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const hint =
    source === '--shard'
      ? 'Write --shard i/n with 1 <= i <= n, e.g. --shard 2/4 for the second of four shards.'
      : 'Set CACHEQUAKE_SHARD=i/n with 1 <= i <= n, e.g. CACHEQUAKE_SHARD=2/4 (in a CI matrix: ${{ matrix.shard }}/4), or unset it.';
  if (!match)
    throw invalidInput('CQ_SHARD_INVALID', `${shown}: expected i/n (two whole numbers), got ${JSON.stringify(text)}`, {
      hint,
    });
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > maxShardCount)
    throw invalidInput('CQ_SHARD_INVALID', `${shown}: the shard count must be 1 to ${maxShardCount}, got ${count}`, {
      hint,
    });
  if (index < 1 || index > count)
    throw invalidInput(
      'CQ_SHARD_INVALID',
      `${shown}: the shard number must be 1 to ${count} (shards count from 1), got ${index}`,
      { hint },
    );
  return { index, count };
}

/** One experiment to place: its name and how long it is expected to take. */
export interface ShardItem {
  name: string;
  weightMs: number;
  /** True when weightMs was measured in an earlier run, false when it is the declared phase time. */
  measured: boolean;
}

export interface ShardPlan {
  /** For each shard (0-based), the positions of its items in the input, in input order. */
  shards: number[][];
  /** For each shard, the sum of its items' weights. */
  loadsMs: number[];
  /** A digest of the whole assignment: equal inputs give equal ids on every machine. */
  planId: string;
}

/**
 * Longest-processing-time-first: items by weight descending (ties by name, then position), each to the shard with the
 * smallest load so far (ties to the lower shard). Every item lands in exactly one shard.
 */
export function splitIntoShards(items: readonly ShardItem[], count: number): ShardPlan {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer: ${count}`);
  const order = items
    .map((item, position) => ({ item, position }))
    .sort(
      (a, b) =>
        b.item.weightMs - a.item.weightMs ||
        (a.item.name < b.item.name ? -1 : a.item.name > b.item.name ? 1 : 0) ||
        a.position - b.position,
    );
  const shards: number[][] = Array.from({ length: count }, () => []);
  const loadsMs: number[] = new Array<number>(count).fill(0);
  for (const { item, position } of order) {
    let lightest = 0;
    for (let s = 1; s < count; s++) if ((loadsMs[s] as number) < (loadsMs[lightest] as number)) lightest = s;
    (shards[lightest] as number[]).push(position);
    loadsMs[lightest] = (loadsMs[lightest] as number) + item.weightMs;
  }
  for (const shard of shards) shard.sort((a, b) => a - b);
  const digest = createHash('sha256');
  digest.update(`${count}\n`);
  shards.forEach((shard, s) => {
    for (const position of shard) digest.update(`${s}\t${(items[position] as ShardItem).name}\n`);
  });
  return { shards, loadsMs, planId: digest.digest('hex').slice(0, 16) };
}

/** The time an experiment declares: baseline + fault + recovery. */
export function declaredPhaseMs(phases: { baseline: number; fault: number; recovery: number }): number {
  return phases.baseline + phases.fault + phases.recovery;
}

/**
 * Weighs experiments by measured durations (by name) where there are some, else by declared phase time. An
 * experiment without a measurement gets its declared time plus the median overhead (measured − declared) of those
 * measured, so new experiments are not undercounted next to measured ones.
 */
export function weighExperiments(
  experiments: readonly { name: string; declaredMs: number }[],
  measuredMs: ReadonlyMap<string, number>,
): ShardItem[] {
  const overheads = experiments
    .filter((e) => measuredMs.has(e.name))
    .map((e) => (measuredMs.get(e.name) as number) - e.declaredMs)
    .sort((a, b) => a - b);
  const medianOverheadMs = overheads.length === 0 ? 0 : median(overheads);
  return experiments.map((e) => {
    const measured = measuredMs.get(e.name);
    return measured === undefined
      ? { name: e.name, weightMs: e.declaredMs + Math.max(0, medianOverheadMs), measured: false }
      : { name: e.name, weightMs: measured, measured: true };
  });
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
