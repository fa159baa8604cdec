// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and writes
// reports/bench/<name>.json.
import { readdir, mkdir, writeFile } from 'node:fs/promises';
import { join, basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result.ts';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'reports', 'bench');
const wanted = process.argv.slice(2);

const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
const selected = wanted.length ? files.filter((f) => wanted.some((w) => f.startsWith(w))) : files;
if (selected.length === 0) {
  process.stderr.write(
    `no benchmark matches ${wanted.join(', ')}; available: ${files.map((f) => basename(f, '.bench.ts')).join(', ')}\n`,
  );
  process.exit(2);
}
await mkdir(outDir, { recursive: true });
let failures = 0;
for (const file of selected) {
  const name = basename(file, '.bench.ts');
  process.stdout.write(`bench ${name} …\n`);
  const started = Date.now();
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<BenchResult> };
    const result = await mod.default();
    const record = {
      name,
      date: new Date().toISOString(),
      durationMs: Date.now() - started,
      node: process.version,
      ...result,
    };
    await writeFile(join(outDir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    for (const goal of result.goals) {
      process.stdout.write(`  ${goal.met ? 'met ' : 'MISS'} ${goal.name}: ${goal.actual} (goal ${goal.goal})\n`);
      if (!goal.met) failures++;
    }
  } catch (error) {
    failures++;
    process.stderr.write(`  bench ${name} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
}
process.stdout.write(`results in ${outDir}\n`);
process.exitCode = failures ? 1 : 0;
