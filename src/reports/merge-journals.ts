// `cachequake merge`: one journal from the journals of a run's shards, after checking they form one run — one schema
// version, no experiment twice, and (for shards) one split with every shard present. Pure: the run id is passed in.
import { invalidInput } from '../errors/index.ts';
import type { ExperimentJournal, ExperimentStatus, Journal } from '../journal/journal-types.ts';

export interface MergeInput {
  /** The journal file, named in messages and recorded in the merged journal. */
  file: string;
  journal: Journal;
}

/** Refuses journals of more than one schema version, naming each file's version (checked before a journal is read). */
export function checkOneVersion(versions: readonly { file: string; version: unknown }[]): void {
  const distinct = new Set(versions.map((v) => JSON.stringify(v.version)));
  if (distinct.size <= 1) return;
  throw invalidInput(
    'CQ_MERGE_CONFLICT',
    `the journals have different schema versions:\n${versions.map((v) => `  ${v.file}: version ${JSON.stringify(v.version)}`).join('\n')}`,
    { hint: 'Merge the shards of one run, written by one cachequake version; run the older shards again.' },
  );
}

export function mergeJournals(inputs: readonly MergeInput[], runId: string): Journal {
  if (inputs.length === 0) throw invalidInput('CQ_OPTION_INVALID', 'merge needs at least one run directory');
  checkOneVersion(inputs.map((i) => ({ file: i.file, version: i.journal.version })));
  checkDistinctRuns(inputs);
  checkNoneKilled(inputs);
  checkNoDuplicates(inputs);
  checkShardsComplete(inputs);
  const journals = inputs.map((i) => i.journal);
  const first = journals[0] as Journal;
  return {
    version: first.version,
    runId,
    tool: first.tool,
    startedAt: journals.map((j) => j.startedAt).reduce((a, b) => (b < a ? b : a)),
    endedAt: journals.map((j) => j.endedAt).reduce((a, b) => (b > a ? b : a)),
    status: worstStatus(journals.map((j) => j.status as ExperimentStatus)),
    merged: {
      from: inputs.map(({ file, journal }) => ({
        runId: journal.runId,
        file,
        ...(journal.shard && { shard: { index: journal.shard.index, count: journal.shard.count } }),
        experiments: journal.experiments.length,
      })),
    },
    experiments: inSelectionOrder(inputs),
  };
}

/** The worst of the runs' statuses: aborted, then error, then failed, else passed. */
export function worstStatus(statuses: readonly ExperimentStatus[]): ExperimentStatus {
  for (const status of ['aborted', 'error', 'failed'] as const) if (statuses.includes(status)) return status;
  return 'passed';
}

function checkDistinctRuns(inputs: readonly MergeInput[]): void {
  const seen = new Map<string, string>();
  for (const { file, journal } of inputs) {
    const other = seen.get(journal.runId);
    if (other !== undefined)
      throw invalidInput('CQ_MERGE_CONFLICT', `run ${journal.runId} is given twice: ${other} and ${file}`, {
        hint: 'Pass each shard’s run directory once.',
      });
    seen.set(journal.runId, file);
  }
}

/** A partial journal (its harness was killed) lacks verdicts: merging it would report a shard as if it had run. */
function checkNoneKilled(inputs: readonly MergeInput[]): void {
  const killed = inputs.find(({ journal }) => journal.status === 'killed');
  if (killed)
    throw invalidInput('CQ_MERGE_CONFLICT', `${killed.file} is the partial journal of a run that was killed`, {
      hint: 'Undo what it left with `cachequake recover <its run dir>`, run that shard again, then merge.',
    });
}

function checkNoDuplicates(inputs: readonly MergeInput[]): void {
  const owner = new Map<string, string>();
  const duplicates: string[] = [];
  for (const { file, journal } of inputs) {
    for (const name of new Set(journal.experiments.map((e) => e.name))) {
      const other = owner.get(name);
      if (other !== undefined) duplicates.push(`  ${name}: in ${other} and ${file}`);
      else owner.set(name, file);
    }
  }
  if (duplicates.length > 0)
    throw invalidInput(
      'CQ_MERGE_CONFLICT',
      `${duplicates.length} experiment(s) appear in more than one journal:\n${duplicates.join('\n')}`,
      {
        hint:
          'Every experiment must run in exactly one shard: give every shard the same experiments, the same --shard n ' +
          'and the same --durations, or leave out the run directory of an extra run.',
      },
    );
}

function checkShardsComplete(inputs: readonly MergeInput[]): void {
  const sharded = inputs.filter((i) => i.journal.shard !== undefined);
  if (sharded.length === 0) return;
  if (sharded.length < inputs.length) {
    const plain = inputs.filter((i) => i.journal.shard === undefined).map((i) => `  ${i.file}`);
    throw invalidInput(
      'CQ_MERGE_CONFLICT',
      `some journals are shards (--shard) and some are whole runs:\n${plain.join('\n')}\nare not shards`,
      { hint: 'Merge the shards of one split only.' },
    );
  }
  const [first] = sharded as [MergeInput, ...MergeInput[]];
  const reference = first.journal.shard as NonNullable<Journal['shard']>;
  for (const { file, journal } of sharded.slice(1)) {
    const shard = journal.shard as NonNullable<Journal['shard']>;
    if (shard.count !== reference.count || shard.planId !== reference.planId)
      throw invalidInput(
        'CQ_MERGE_CONFLICT',
        `${file} (shard ${shard.index}/${shard.count}, split ${shard.planId}) is of another split than ${first.file} ` +
          `(shard ${reference.index}/${reference.count}, split ${reference.planId})`,
        {
          hint: 'The shards were given different experiments, --set values, shard counts or --durations; run every shard of one split with the same ones.',
        },
      );
  }
  const indices = new Map<number, string>();
  for (const { file, journal } of sharded) {
    const index = (journal.shard as NonNullable<Journal['shard']>).index;
    const other = indices.get(index);
    if (other !== undefined)
      throw invalidInput(
        'CQ_MERGE_CONFLICT',
        `shard ${index}/${reference.count} is given twice: ${other} and ${file}`,
        {
          hint: 'Pass one run directory per shard (the newest, when a shard was run again).',
        },
      );
    indices.set(index, file);
  }
  const missing = Array.from({ length: reference.count }, (_, i) => i + 1).filter((i) => !indices.has(i));
  if (missing.length > 0)
    throw invalidInput(
      'CQ_MERGE_CONFLICT',
      `shard(s) ${missing.join(', ')} of ${reference.count} missing: got ${[...indices.keys()]
        .sort((a, b) => a - b)
        .map((i) => `${i}/${reference.count}`)
        .join(', ')}`,
      {
        hint: 'Pass every shard’s run directory; a shard job that failed before writing its journal must be run again.',
      },
    );
}

/** Sharded runs go back in the order of the whole selection; other journals keep the order given. */
function inSelectionOrder(inputs: readonly MergeInput[]): ExperimentJournal[] {
  const positioned = inputs.flatMap(({ journal }) => {
    const positions = new Map(journal.shard?.experiments.map((e) => [e.name, e.position]));
    return journal.experiments.map((experiment) => ({
      experiment,
      position: positions.get(experiment.name) ?? Number.POSITIVE_INFINITY,
    }));
  });
  return positioned.sort((a, b) => a.position - b.position).map((p) => p.experiment);
}
