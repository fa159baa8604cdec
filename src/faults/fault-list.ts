// The fault catalogue as data for people and tools: each kind with its group, description and parameters from the
// schema.
import { z } from 'zod';
import { faultRecords, type AnyFaultRecord, type FaultKind } from './catalogue.ts';

export interface ParamInfo {
  name: string;
  type: string;
  default?: unknown;
  values?: unknown[];
  description?: string;
  required: boolean;
}

export function paramsOf(record: AnyFaultRecord): ParamInfo[] {
  const schema = z.toJSONSchema(record.schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== 'kind')
    .map(([name, p]) => ({
      name,
      type: String(p.type ?? (p.anyOf ? 'size' : 'any')),
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(p.enum ? { values: p.enum as unknown[] } : {}),
      ...(p.description ? { description: String(p.description) } : {}),
      required: (schema.required ?? []).includes(name),
    }));
}

export function faultList(): { kind: FaultKind; group: string; description: string; params: ParamInfo[] }[] {
  return faultRecords.map((record) => ({
    kind: record.kind,
    group: record.group,
    description: record.description,
    params: paramsOf(record),
  }));
}
