// Parameters several fault kinds share: when a fault runs, the link it acts on, a toxic's stream, a RESP rule's match.
import { z } from 'zod';
import { durationField } from '../schema/quantities.ts';

export const timing = {
  /** Offset into the fault phase. */
  at: durationField.optional().meta({ description: 'offset into the fault phase (default 0s)' }),
  /** How long the fault lasts; default: to the end of the fault phase. */
  for: durationField
    .optional()
    .meta({ description: 'how long the fault lasts (default: to the end of the fault phase)' }),
};

export const link = z.enum(['redis', 'postgres']).default('redis').meta({ description: 'the link the fault acts on' });

/** A Toxiproxy toxic on a link. */
export const network = {
  ...timing,
  on: link,
  stream: z
    .enum(['downstream', 'upstream', 'both'])
    .default('downstream')
    .meta({ description: 'downstream = server → service, upstream = service → server' }),
  toxicity: z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .meta({ description: 'probability that a connection is affected (0..1)' }),
};

/** RESP rules on the Redis link (the embedded proxy's cachequake extension): which commands a fault acts on. */
export const commandRule = {
  ...timing,
  commands: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: 'command names, e.g. [SET, EXPIRE] (empty: every command)' }),
  keys: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Redis glob on the first argument, e.g. "session:*" (default: any)' }),
  probability: z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .meta({ description: 'probability that a matching command is affected (0..1)' }),
};
