// The import check: every import in src/ points down the layer order of docs/architecture.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers, layers } from '../../scripts/check-layers.ts';

const srcDir = fileURLToPath(new URL('../../src', import.meta.url));
const scratch: string[] = [];

function fakeSrc(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cq-layers-'));
  scratch.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('layer order', () => {
  it('src/: no folder imports a folder above it or beside it', () => {
    expect(checkLayers(srcDir)).toEqual([]);
  });

  it('names every top folder of src/ in the layer order', async () => {
    const { readdirSync } = await import('node:fs');
    const folders = readdirSync(srcDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.filter((f) => !layers.some((layer) => layer.includes(f)))).toEqual([]);
  });

  it('flags an upward import, a sideways one and a dynamic one, with file and line', () => {
    const dir = fakeSrc({
      'journal/journal-types.ts': "import type { X } from '../engine/run.ts';\n",
      'runtimes/local/a.ts': "// a comment\nconst m = await import('../../faults/b.ts');\n",
      'load/c.ts': "export { y } from '../ledger/d.ts';\n",
      'engine/ok.ts': "import { z } from '../runtimes/local/a.ts';\nimport { w } from './sibling.ts';\n",
    });
    const found = checkLayers(dir)
      .map((v) => `${v.file}:${v.line} ${v.imports}`)
      .sort();
    expect(found).toEqual([
      'journal/journal-types.ts:1 ../engine/run.ts',
      'load/c.ts:1 ../ledger/d.ts',
      'runtimes/local/a.ts:2 ../../faults/b.ts',
    ]);
  });

  it('flags a folder that is not in the layer order', () => {
    const dir = fakeSrc({ 'newthing/x.ts': "import { e } from '../errors/index.ts';\n" });
    expect(checkLayers(dir)[0]?.reason).toMatch(/src\/newthing\/ is not in the layer order/);
  });
});
