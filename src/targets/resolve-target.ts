// Turns the `--target` / `target:` value into a loaded manifest: a bundled name, a manifest path, or a folder holding
// one.
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidInput } from '../errors/index.ts';
import { listValues } from '../schema/index.ts';
import { loadTarget, type LoadedTarget } from './load-target.ts';

/** The repository's targets/ folder. */
export const bundledTargetsDir: string = fileURLToPath(new URL('../../targets/', import.meta.url));

export const manifestFileName = 'target.yaml';

/** The names of the bundled targets (folders under targets/ that hold a target.yaml), sorted. */
export async function listBundledTargets(): Promise<string[]> {
  const entries = await readdir(bundledTargetsDir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await isFile(join(bundledTargetsDir, entry.name, manifestFileName))))
      names.push(entry.name);
  }
  return names.sort();
}

/**
 * `session-service` → targets/session-service/target.yaml; `./my/target.yaml` or `./my` (a folder with a
 * target.yaml) → that file, resolved against `baseDir` (default: the current directory).
 */
export async function resolveTarget(nameOrPath: string, options: { baseDir?: string } = {}): Promise<LoadedTarget> {
  const looksLikePath =
    nameOrPath.includes('/') || nameOrPath.includes('\\') || /\.ya?ml$/.test(nameOrPath) || nameOrPath.startsWith('.');
  if (looksLikePath) {
    const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(options.baseDir ?? process.cwd(), nameOrPath);
    const file = (await isDirectory(path)) ? join(path, manifestFileName) : path;
    return loadTarget(file);
  }
  const bundled = await listBundledTargets();
  if (!bundled.includes(nameOrPath)) {
    throw invalidInput(
      'CQ_TARGET_UNKNOWN',
      `unknown target ${JSON.stringify(nameOrPath)}; the bundled targets are ${listValues(bundled)}`,
      {
        hint: 'Use a bundled name, or a path to your own target.yaml (e.g. ./my-service/target.yaml); see docs/targets.md.',
      },
    );
  }
  return loadTarget(join(bundledTargetsDir, nameOrPath, manifestFileName), { bundled: true });
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
