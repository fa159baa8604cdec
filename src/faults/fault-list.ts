// The fault catalogue as data for people and tools: each kind with its group, description and parameters from the
// schema.
import { z } from 'zod';
import { faultCatalogue } from './catalogue.ts';
import { faultSchemas, type FaultKind } from './fault-schema.ts';

export interface ParamInfo {
  name: string;
  type: string;
  default?: unknown;
  values?: unknown[];
  description?: string;
  required: boolean;
}

function paramsOf(kind: FaultKind): ParamInfo[] {
  const schema = z.toJSONSchema(faultSchemas[kind], { io: 'input', unrepresentable: 'any' }) as {
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
  return (Object.keys(faultCatalogue) as FaultKind[]).map((kind) => ({
    kind,
    group: faultCatalogue[kind].group,
    description: faultCatalogue[kind].description,
    params: paramsOf(kind),
  }));
}
