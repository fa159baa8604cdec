// The shard split on its own (no files, no ports): i/n parsing and its errors, every experiment in exactly one shard,
// longest first by weight, the same split for the same input, and measured durations over declared phase time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCachequakeError } from '../../src/errors/index.ts';
import {
  declaredPhaseMs,
  parseShardSpec,
  splitIntoShards,
  weighExperiments,
  type ShardItem,
} from '../../src/experiment/shard-split.ts';

const item = (name: string, weightMs: number): ShardItem => ({ name, weightMs, measured: false });

function caught(fn: () => unknown): { code: string; message: string; hint?: string; exitCode: number } {
  try {
    fn();
  } catch (error) {
    if (isCachequakeError(error))
      return { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode };
    throw error;
  }
  throw new Error('expected an error');
}

describe('parseShardSpec', () => {
  it('reads i/n, spaces allowed', () => {
    expect(parseShardSpec('2/4', '--shard')).toEqual({ index: 2, count: 4 });
    expect(parseShardSpec(' 1 / 1 ', 'CACHEQUAKE_SHARD')).toEqual({ index: 1, count: 1 });
  });

  it.each([
    ['0/4', /shard number must be 1 to 4 \(shards count from 1\), got 0/],
    ['5/4', /shard number must be 1 to 4 .*got 5/],
    ['1/0', /shard count must be 1 to 256, got 0/],
    ['abc', /expected i\/n \(two whole numbers\), got "abc"/],
    ['2/', /expected i\/n/],
    ['1.5/4', /expected i\/n/],
    ['-1/4', /expected i\/n/],
  ])('refuses --shard %s with exit 2, naming the flag and the fix', (text, message) => {
    const error = caught(() => parseShardSpec(text, '--shard'));
    expect(error).toMatchObject({ code: 'CQ_SHARD_INVALID', exitCode: 2 });
    expect(error.message).toContain(`--shard ${JSON.stringify(text)}`);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/--shard i\/n with 1 <= i <= n, e\.g\. --shard 2\/4/);
  });

  it('names the environment variable when the value came from it', () => {
    const error = caught(() => parseShardSpec('5/4', 'CACHEQUAKE_SHARD'));
    expect(error.message).toContain('CACHEQUAKE_SHARD="5/4"');
    expect(error.hint).toMatch(/CACHEQUAKE_SHARD=i\/n .*or unset it/);
  });
});

describe('splitIntoShards', () => {
  it('puts the longest first, each on the least loaded shard, and keeps the input order inside a shard', () => {
    const items = [item('a', 10), item('b', 30), item('c', 20), item('d', 25), item('e', 5)];
    const plan = splitIntoShards(items, 2);
    // b30 → s0; d25 → s1; c20 → s1 (25 < 30); a10 → s0 (30 < 45); e5 → s0 (40 < 45)
    expect(plan.shards).toEqual([
      [0, 1, 4],
      [2, 3],
    ]);
    expect(plan.loadsMs).toEqual([45, 45]);
  });

  it('breaks ties by name, not by the order the files were found in', () => {
    const forward = splitIntoShards([item('x', 10), item('y', 10), item('z', 10)], 2);
    const backward = splitIntoShards([item('z', 10), item('y', 10), item('x', 10)], 2);
    const names = (plan: typeof forward, items: string[]) => plan.shards.map((s) => s.map((p) => items[p]).sort());
    expect(names(forward, ['x', 'y', 'z'])).toEqual([['x', 'z'], ['y']]);
    expect(names(backward, ['z', 'y', 'x'])).toEqual([['x', 'z'], ['y']]);
    expect(forward.planId).not.toBe(splitIntoShards([item('x', 10), item('y', 10), item('w', 10)], 2).planId);
  });

  it('leaves shards empty when there are more shards than experiments', () => {
    const plan = splitIntoShards([item('a', 1), item('b', 2)], 4);
    expect(plan.shards).toEqual([[1], [0], [], []]);
  });

  it('places every item in exactly one shard, deterministically, within the greedy bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 600_000 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        (weights, count) => {
          const items = weights.map((w, i) => item(`e${i}`, w));
          const plan = splitIntoShards(items, count);
          const placed = plan.shards.flat().sort((a, b) => a - b);
          expect(placed).toEqual(items.map((_, i) => i));
          expect(splitIntoShards(items, count)).toEqual(plan);
          // longest-first greedy: no shard exceeds the mean load by more than the largest item
          const total = weights.reduce((a, b) => a + b, 0);
          const largest = Math.max(0, ...weights);
          for (const load of plan.loadsMs) expect(load).toBeLessThanOrEqual(total / count + largest);
        },
      ),
    );
  });
});

describe('weighExperiments', () => {
  it('uses declared phase time when nothing was measured', () => {
    const declared = declaredPhaseMs({ baseline: 5000, fault: 20_000, recovery: 10_000 });
    expect(declared).toBe(35_000);
    expect(weighExperiments([{ name: 'a', declaredMs: declared }], new Map())).toEqual([
      { name: 'a', weightMs: 35_000, measured: false },
    ]);
  });

  it('prefers a measured duration, and adds the median measured overhead to an experiment never measured', () => {
    const weights = weighExperiments(
      [
        { name: 'cluster', declaredMs: 25_000 },
        { name: 'single', declaredMs: 25_000 },
        { name: 'other', declaredMs: 30_000 },
        { name: 'new', declaredMs: 10_000 },
      ],
      new Map([
        ['cluster', 31_000], // overhead 6 s
        ['single', 26_000], // overhead 1 s
        ['other', 32_000], // overhead 2 s
        ['not-selected', 99_000],
      ]),
    );
    expect(weights).toEqual([
      { name: 'cluster', weightMs: 31_000, measured: true },
      { name: 'single', weightMs: 26_000, measured: true },
      { name: 'other', weightMs: 32_000, measured: true },
      { name: 'new', weightMs: 12_000, measured: false },
    ]);
  });
});
