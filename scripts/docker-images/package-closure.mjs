// Prints, one a line, the node_modules folders (relative to the root) that the named packages need at run time:
// their dependencies and optional dependencies, resolved as Node resolves them (nested first, then hoisted).
//   node scripts/docker-images/package-closure.mjs fastify ioredis
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const found = new Set();
function resolve(name, from) {
  for (let dir = from; ; dir = dirname(dirname(dir))) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === '.' || dir === '/' || !dir.includes('node_modules')) break;
  }
  const hoisted = join('node_modules', name);
  return existsSync(join(hoisted, 'package.json')) ? hoisted : undefined;
}
function visit(name, from, optional) {
  const dir = resolve(name, from);
  if (!dir) {
    if (optional) return;
    throw new Error(`package-closure: ${name} (needed from ${from}) is not installed: run npm ci`);
  }
  if (found.has(dir)) return;
  found.add(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, false);
  for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, dir, true);
}
for (const name of process.argv.slice(2)) visit(name, '.', false);
process.stdout.write([...found].sort().join('\n') + '\n');
