// `run --shard i/n` (or CACHEQUAKE_SHARD=i/n): keeps this shard's experiments of the selection and describes the split
// for the journal, so that `cachequake merge` can check the shards fit together.
import { resolve } from 'node:path';
import { invalidInput } from '../errors/index.ts';
import type { LoadedExperiment } from '../experiment/load-experiment.ts';
import {
  declaredPhaseMs,
  parseShardSpec,
  splitIntoShards,
  weighExperiments,
  type ShardSpec,
} from '../experiment/shard-split.ts';
import type { JournalShard } from '../journal/journal-shard.ts';

export interface ShardSelection {
  experiments: LoadedExperiment[];
  /** Absent when the run is not sharded. */
  shard?: JournalShard;
}

/** The shard asked for: --shard wins over CACHEQUAKE_SHARD; an empty variable counts as unset. */
export function shardSpecFrom(flag: string | undefined, env: NodeJS.ProcessEnv): ShardSpec | undefined {
  if (flag !== undefined) return parseShardSpec(flag, '--shard');
  const fromEnv = env.CACHEQUAKE_SHARD;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseShardSpec(fromEnv, 'CACHEQUAKE_SHARD');
  return undefined;
}

/**
 * Keeps shard `spec` of the experiments. `durationsFlag` (--durations) or else CACHEQUAKE_DURATIONS balances the split
 * by measured time; the variable is ignored in an unsharded run, the flag is refused there.
 */
export async function selectShard(
  experiments: LoadedExperiment[],
  spec: ShardSpec | undefined,
  durationsFlag: string | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<ShardSelection> {
  if (!spec) {
    if (durationsFlag !== undefined)
      throw invalidInput('CQ_OPTION_INVALID', '--durations only balances a split: it needs --shard i/n', {
        hint: 'Add --shard i/n (or set CACHEQUAKE_SHARD=i/n), or leave --durations out.',
      });
    return { experiments };
  }
  const fromEnv = env.CACHEQUAKE_DURATIONS?.trim() ? env.CACHEQUAKE_DURATIONS : undefined;
  const durationsFrom = durationsFlag ?? fromEnv;
  let measured = new Map<string, number>();
  if (durationsFrom !== undefined) {
    const { readMeasuredDurations } = await import('../reports/measured-durations.ts');
    const source = durationsFlag !== undefined ? '--durations' : 'CACHEQUAKE_DURATIONS';
    measured = (await readMeasuredDurations(resolve(durationsFrom), source)).byName;
  }
  const items = weighExperiments(
    experiments.map((loaded) => ({
      name: loaded.experiment.name,
      declaredMs: declaredPhaseMs(loaded.experiment.phases),
    })),
    measured,
  );
  const plan = splitIntoShards(items, spec.count);
  const mine = plan.shards[spec.index - 1] ?? [];
  return {
    experiments: mine.map((position) => experiments[position] as LoadedExperiment),
    shard: {
      index: spec.index,
      count: spec.count,
      rule: items.some((i) => i.measured) ? 'measured' : 'declared',
      ...(durationsFrom !== undefined && { durationsFrom }),
      selectedCount: experiments.length,
      planId: plan.planId,
      experiments: mine.map((position) => {
        const { name, weightMs, measured: wasMeasured } = items[position] as (typeof items)[number];
        return { name, position, weightMs, measured: wasMeasured };
      }),
    },
  };
}

/** ` — shard 2/4: 3 of 14 experiments, split by declared phase time`, for the console. */
export function shardTitle(shard: JournalShard): string {
  const rule = shard.rule === 'measured' ? `measured durations (${shard.durationsFrom ?? ''})` : 'declared phase time';
  return ` — shard ${shard.index}/${shard.count}: ${shard.experiments.length} of ${shard.selectedCount} experiments, split by ${rule}`;
}
