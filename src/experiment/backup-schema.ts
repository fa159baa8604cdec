// The experiment's `backup:` field: on a staging instance, DUMP the keys each data-destroying fault will touch and
// RESTORE them on revert.
import { z } from 'zod';
import { sizeField } from '../schema/quantities.ts';

export const backupSchema = z
  .strictObject({
    maxKeys: z
      .number()
      .int()
      .positive()
      .max(1_000_000)
      .default(10_000)
      .meta({ description: 'refuse the fault (exit 2, nothing sent) when it would touch more keys than this' }),
    maxBytes: sizeField
      .prefault('64mb')
      .meta({ description: 'refuse the fault when the DUMPed keys take more than this, e.g. 64mb' }),
  })
  .meta({
    description:
      'staging only (--env): DUMP the keys a data-destroying fault will touch (flushall, flushdb, expire, fill-memory, maxmemory, config-set of maxmemory) before it, RESTORE … REPLACE them with their remaining TTL on revert',
  });

export type BackupBounds = z.output<typeof backupSchema>;
