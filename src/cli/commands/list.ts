// `cachequake list`: the fault catalogue (kinds, parameters, defaults) and the metrics expectations can use, from the
// schemas.
import type { Command } from 'commander';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('print the fault catalogue and the metrics expectations can use')
    .option('--json', 'as JSON')
    .action(async (flags: { json?: boolean }) => {
      const [{ faultList }, { metricCatalogue }] = await Promise.all([
        import('../../faults/fault-list.ts'),
        import('../../expectations/index.ts'),
      ]);
      const faults = faultList();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ faults, metrics: metricCatalogue }, null, 2)}\n`);
        return;
      }
      const out: string[] = ['Faults (kind: …):'];
      for (const f of faults) {
        out.push(`  ${f.kind.padEnd(13)} [${f.group}] ${f.description}`);
        for (const p of f.params) {
          const extra = [
            p.required ? 'required' : undefined,
            p.values ? `one of ${p.values.join('|')}` : undefined,
            p.default !== undefined ? `default ${JSON.stringify(p.default)}` : undefined,
          ]
            .filter(Boolean)
            .join(', ');
          out.push(`      ${p.name.padEnd(18)} ${extra}${p.description ? ` — ${p.description}` : ''}`);
        }
      }
      out.push('', 'Metrics (expect: metric{phase=baseline|fault|recovery} op number[unit]):');
      for (const m of metricCatalogue) out.push(`  ${m.name.padEnd(28)} ${m.kind.padEnd(9)} ${m.description}`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
