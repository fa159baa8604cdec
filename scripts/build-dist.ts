// Builds the installable package: src/ compiled to dist/ (JavaScript and declarations), plus the non-TypeScript files
// src/ reads beside itself at run time. `npm pack` / `npm publish` run it as `prepack`; this repository never needs it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

rmSync(dist, { recursive: true, force: true });
// Emit only: `npm run typecheck` (part of `npm test`) is the type check; --noCheck makes the emit 4x faster and its
// output the same (declarations included).
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck'], { stdio: 'inherit' });

// Files src/ opens by path next to its modules (new URL('./x', import.meta.url)): the report's client script today.
const assets = filesUnder(src).filter((file) => !file.endsWith('.ts'));
for (const file of assets) cpSync(file, join(dist, relative(src, file)));

for (const entry of ['index.js', 'index.d.ts', 'vitest/index.js', 'vitest/index.d.ts', 'cli/main.js']) {
  if (!existsSync(join(dist, entry))) throw new Error(`build-dist: dist/${entry} was not emitted`);
}
const emitted = filesUnder(dist).length;
process.stdout.write(`build-dist: ${emitted} files in dist/ (${assets.length} assets copied from src/)\n`);
