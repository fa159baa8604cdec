// `cachequake list`: the fault catalogue (kinds, parameters, defaults) and the metrics expectations can use, from the schemas.
import type { Command } from 'commander';
import { z } from 'zod';
import { metricCatalogue } from '../../expectations/index.ts';
import { faultCatalogue } from '../../faults/catalogue.ts';
import { faultSchemas, type FaultKind } from '../../faults/fault-schema.ts';

interface ParamInfo {
  name: string;
  type: string;
  default?: unknown;
  values?: unknown[];
  description?: string;
  required: boolean;
}

function paramsOf(kind: FaultKind): ParamInfo[] {
  const schema = z.toJSONSchema(faultSchemas[kind], { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
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
  return (Object.keys(faultCatalogue) as FaultKind[]).map((kind) => ({ kind, group: faultCatalogue[kind].group, description: faultCatalogue[kind].description, params: paramsOf(kind) }));
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('print the fault catalogue and the metrics expectations can use')
    .option('--json', 'as JSON')
    .action((flags: { json?: boolean }) => {
      const faults = faultList();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ faults, metrics: metricCatalogue }, null, 2)}\n`);
        return;
      }
      const out: string[] = ['Faults (kind: …):'];
      for (const f of faults) {
        out.push(`  ${f.kind.padEnd(13)} [${f.group}] ${f.description}`);
        for (const p of f.params) {
          const extra = [p.required ? 'required' : undefined, p.values ? `one of ${p.values.join('|')}` : undefined, p.default !== undefined ? `default ${JSON.stringify(p.default)}` : undefined].filter(Boolean).join(', ');
          out.push(`      ${p.name.padEnd(18)} ${extra}${p.description ? ` — ${p.description}` : ''}`);
        }
      }
      out.push('', 'Metrics (expect: metric{phase=baseline|fault|recovery} op number[unit]):');
      for (const m of metricCatalogue) out.push(`  ${m.name.padEnd(28)} ${m.kind.padEnd(9)} ${m.description}`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
