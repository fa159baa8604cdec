// Moves hash slots between two primaries with the real resharding protocol: IMPORTING/MIGRATING, MIGRATE of the keys,
// SETSLOT NODE everywhere.
import type { Redis } from 'ioredis';

export interface MigrationEnd {
  readonly admin: Redis;
  readonly id: string;
  readonly port: number;
}

/** Step 1: the target imports the slot, the source migrates it (clients asking the source for a moved key get -ASK). */
export async function beginSlotMigration(slot: number, source: MigrationEnd, target: MigrationEnd): Promise<void> {
  await target.admin.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', source.id);
  await source.admin.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', target.id);
}

/**
 * Step 2: MIGRATE every key of the slot, 100 at a time; returns the number of keys moved. Bounded by the slot's key
 * count.
 */
export async function moveSlotKeys(
  slot: number,
  source: MigrationEnd,
  target: MigrationEnd,
  timeoutMs = 5000,
): Promise<number> {
  let moved = 0;
  for (let round = 0; round < 100_000; round++) {
    const keys = (await source.admin.call('CLUSTER', 'GETKEYSINSLOT', String(slot), '100')) as string[];
    if (keys.length === 0) break;
    await source.admin.call(
      'MIGRATE',
      '127.0.0.1',
      String(target.port),
      '',
      '0',
      String(timeoutMs),
      'REPLACE',
      'KEYS',
      ...keys,
    );
    moved += keys.length;
  }
  return moved;
}

/**
 * Step 3: the slot belongs to the target, told to the target, the source and every other primary (clients now get
 * -MOVED).
 */
export async function finishSlotMigration(
  slot: number,
  source: MigrationEnd,
  target: MigrationEnd,
  others: readonly MigrationEnd[],
): Promise<void> {
  await target.admin.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', target.id);
  await source.admin.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', target.id);
  await Promise.all(
    others.map((other) =>
      other.admin.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', target.id).catch(() => undefined),
    ),
  );
}

export interface MigrationReport {
  slots: number[];
  keys: number;
  ms: number;
}

/**
 * Moves the slots one by one; `holdMs` keeps each slot migrating (ASK replies) before it is finished (MOVED from then
 * on).
 */
export async function migrateSlots(
  slots: readonly number[],
  source: MigrationEnd,
  target: MigrationEnd,
  others: readonly MigrationEnd[],
  holdMs = 0,
): Promise<MigrationReport> {
  const began = performance.now();
  let keys = 0;
  for (const slot of slots) {
    await beginSlotMigration(slot, source, target);
    keys += await moveSlotKeys(slot, source, target);
    if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
    // keys written to the source while held went there only if the slot still had them; move any stragglers
    keys += await moveSlotKeys(slot, source, target);
    await finishSlotMigration(slot, source, target, others);
  }
  return { slots: [...slots], keys, ms: Math.round(performance.now() - began) };
}
