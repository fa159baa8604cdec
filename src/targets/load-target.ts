// Loads a target manifest from YAML or from a TypeScript object into a LoadedTarget with absolute paths.
import { dirname, resolve } from 'node:path';
import { invalidInput } from '../errors/index.ts';
import { formatZodIssues, loadYamlFile } from '../schema/index.ts';
import { placeholdersIn } from './placeholders.ts';
import { targetManifestSchema, type TargetManifest, type TargetManifestInput } from './target-manifest-schema.ts';

/** A validated manifest and where it came from. */
export interface LoadedTarget {
  readonly name: string;
  /** The absolute path of target.yaml; undefined for a manifest built in TypeScript. */
  readonly file: string | undefined;
  /** The directory relative paths are resolved against (the manifest's folder). */
  readonly dir: string;
  /** The absolute working directory of the process (before placeholders in it are rendered). */
  readonly cwd: string;
  /** True when command, args, cwd or env use a `{{postgres.*}}` placeholder: the run must start PostgreSQL. */
  readonly needsPostgres: boolean;
  /** True for a folder under the repository's targets/. */
  readonly bundled: boolean;
  readonly manifest: TargetManifest;
}

export async function loadTarget(file: string, options: { bundled?: boolean } = {}): Promise<LoadedTarget> {
  const absolute = resolve(file);
  const manifest = await loadYamlFile(absolute, targetManifestSchema, 'target', { code: 'CQ_TARGET_INVALID' });
  return toLoaded(manifest, absolute, dirname(absolute), options.bundled ?? false);
}

/** Validates a manifest written in TypeScript (`defineTarget`); relative paths are resolved against `baseDir`. */
export function targetFromObject(input: TargetManifestInput, baseDir: string): LoadedTarget {
  const result = targetManifestSchema.safeParse(input);
  if (!result.success) {
    throw invalidInput(
      'CQ_TARGET_INVALID',
      `the target manifest ${describeName(input)} is invalid:\n${formatZodIssues(result.error.issues, input, targetManifestSchema)}`,
      {
        hint: 'Fix the fields listed above; defineTarget() gives the same checks at compile time.',
      },
    );
  }
  return toLoaded(result.data, undefined, resolve(baseDir), false);
}

function toLoaded(manifest: TargetManifest, file: string | undefined, dir: string, bundled: boolean): LoadedTarget {
  const processStrings = [manifest.command, manifest.cwd, ...manifest.args, ...Object.values(manifest.env)];
  const needsPostgres = processStrings.some((s) => placeholdersIn(s).some((p) => p.startsWith('postgres.')));
  const cwd = placeholdersIn(manifest.cwd).length > 0 ? manifest.cwd : resolve(dir, manifest.cwd);
  return { name: manifest.name, file, dir, cwd, needsPostgres, bundled, manifest };
}

function describeName(input: unknown): string {
  const name = (input as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? JSON.stringify(name) : '(unnamed)';
}
