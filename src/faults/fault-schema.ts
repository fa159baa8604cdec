// The fault catalogue as a schema: the union of every record's schema (discriminated by kind), the kinds and the spec
// types.
import { z } from 'zod';
import { faultRecords, type FaultKind, type FaultRecordOf } from './catalogue.ts';

export type { FaultKind };

/** The records' schemas as a tuple, which the union's type needs. */
type RecordSchemas<R = typeof faultRecords> = {
  -readonly [I in keyof R]: R[I] extends { schema: infer S } ? S : never;
};

export const faultSchemas = Object.fromEntries(faultRecords.map((record) => [record.kind, record.schema])) as {
  [K in FaultKind]: FaultRecordOf<K>['schema'];
};

export const faultKinds: FaultKind[] = faultRecords.map((record) => record.kind);

export const faultSchema = z.discriminatedUnion(
  'kind',
  faultRecords.map((record) => record.schema) as unknown as RecordSchemas,
);

export type FaultSpec = z.output<typeof faultSchema>;
export type FaultSpecOf<K extends FaultKind> = z.output<FaultRecordOf<K>['schema']>;
