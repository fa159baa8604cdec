// `cachequake init`: copies the starter target.yaml and experiments/ into a project, and never overwrites a file.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidInput } from '../../errors/index.ts';

/** The starter files (templates/init/ of the package), the same from src/ and dist/. */
export const starterTemplateDir: string = fileURLToPath(new URL('../../../templates/init/', import.meta.url));

/** The paths of the starter files, relative to the template folder (and to the project), sorted. */
export async function starterFiles(): Promise<string[]> {
  const entries = await readdir(starterTemplateDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(starterTemplateDir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Writes every starter file into `dir`; if any of them exists there, writes nothing and names them all. */
export async function writeStarterProject(dir: string): Promise<string[]> {
  const files = await starterFiles();
  const existing: string[] = [];
  for (const file of files) if (await stat(join(dir, file)).catch(() => undefined)) existing.push(file);
  if (existing.length > 0) {
    throw invalidInput(
      'CQ_INIT_FILE_EXISTS',
      `cachequake init would overwrite ${existing.join(', ')} in ${dir}; nothing was written.`,
      { hint: 'Move or rename those files, or write the starter files elsewhere with --dir <folder>.' },
    );
  }
  for (const file of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    // 'wx': a file created meanwhile is still never overwritten
    await writeFile(join(dir, file), await readFile(join(starterTemplateDir, file)), { flag: 'wx' });
  }
  return files;
}
