// Checks that imports in src/ flow one way: each folder may import only folders below it in the layer order.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layer order, top to bottom (docs/architecture.md draws it). A folder may import folders of a higher number
 * (lower layers) and itself; folders of one layer never import each other.
 */
export const layers: readonly (readonly string[])[] = [
  ['cli', 'vitest'],
  ['live'],
  ['engine'],
  ['reports', 'doctor', 'lint', 'audit'],
  ['safety'],
  ['experiment'],
  ['faults'],
  ['expectations', 'load', 'ledger', 'probes'],
  ['runtimes'],
  ['targets'],
  ['proxy'],
  ['resp'],
  ['redis-conf'],
  ['journal'],
  ['schema'],
  ['errors'],
];

export interface LayerViolation {
  file: string;
  line: number;
  imports: string;
  reason: string;
}

const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function rankOf(folder: string): number | undefined {
  const index = layers.findIndex((layer) => layer.includes(folder));
  return index === -1 ? undefined : index;
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top folder of a path inside src/ (`engine` for src/engine/x.ts); `.` for src/index.ts. */
function topFolder(srcDir: string, file: string): string {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? (parts[0] ?? '.') : '.';
}

/** Every import in `srcDir` that points up the layer order, sideways within a layer, or into an unlisted folder. */
export function checkLayers(srcDir: string): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const file of listTs(srcDir)) {
    const from = topFolder(srcDir, file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(importPattern)) {
      const specifier = match[1] ?? '';
      const target = normalize(join(dirname(file), specifier));
      const to = topFolder(srcDir, target);
      if (to === from || from === '.') continue;
      const line = source.slice(0, match.index).split('\n').length;
      const where = { file: relative(srcDir, file), line, imports: specifier };
      const fromRank = rankOf(from);
      const toRank = rankOf(to);
      if (fromRank === undefined)
        violations.push({ ...where, reason: `src/${from}/ is not in the layer order (scripts/check-layers.ts)` });
      else if (toRank === undefined)
        violations.push({ ...where, reason: `src/${to}/ is not in the layer order (scripts/check-layers.ts)` });
      else if (toRank === fromRank)
        violations.push({ ...where, reason: `${from} and ${to} are one layer: neither may import the other` });
      else if (toRank < fromRank)
        violations.push({
          ...where,
          reason: `${from} (layer ${fromRank}) imports ${to}, a layer above it (${toRank})`,
        });
    }
  }
  return violations;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const srcDir = fileURLToPath(new URL('../src', import.meta.url));
  const violations = checkLayers(srcDir);
  for (const v of violations) console.error(`src/${v.file}:${v.line}: imports '${v.imports}': ${v.reason}`);
  console.log(
    violations.length === 0
      ? 'layers: every import in src/ points down the layer order'
      : `layers: ${violations.length} imports point the wrong way`,
  );
  process.exitCode = violations.length === 0 ? 0 : 1;
}
