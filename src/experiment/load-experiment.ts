// Loads experiments from YAML files, TypeScript files (defineExperiment) and directories, validated before anything
// starts.
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { environmentError, invalidInput, isCachequakeError, type CachequakeError } from '../errors/index.ts';
import { displayPath, formatZodIssues, parseYamlText } from '../schema/index.ts';
import { applyToObject, applyToYaml, overrideOriginOf, type Override } from './overrides.ts';
import { experimentSchema, type Experiment } from './experiment-schema.ts';

export interface LoadedExperiment {
  /** Absolute path of the file, or undefined for an object passed in code. */
  file: string | undefined;
  /** The directory relative paths (configFile, target) are resolved against. */
  dir: string;
  experiment: Experiment;
}

const yamlExtensions = new Set(['.yaml', '.yml']);
const isExperimentFile = (name: string) =>
  yamlExtensions.has(extname(name)) || name.endsWith('.experiment.ts') || name.endsWith('.experiment.mts');
const moduleExtensions = new Set(['.ts', '.mts', '.js', '.mjs']);

/** Expands files and directories (their experiment files, sorted) into a list of files. */
export async function collectExperimentFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info)
      throw invalidInput('CQ_FILE_NOT_FOUND', `no experiment file or directory at ${path}`, {
        hint: 'Check the path; it is resolved against the current directory.',
      });
    if (info.isDirectory()) {
      const names = (await readdir(absolute)).filter(isExperimentFile).sort();
      if (names.length === 0)
        throw invalidInput(
          'CQ_NO_EXPERIMENTS',
          `the directory ${path} holds no experiment files (*.yaml, *.yml, *.experiment.ts, *.experiment.mts)`,
        );
      files.push(...names.map((n) => join(absolute, n)));
    } else {
      files.push(absolute);
    }
  }
  return files;
}

export async function loadExperimentFile(
  file: string,
  overrides: readonly Override[] = [],
): Promise<LoadedExperiment[]> {
  const absolute = resolve(file);
  if (yamlExtensions.has(extname(absolute))) {
    let text: string;
    try {
      text = await readFile(absolute, 'utf8');
    } catch (cause) {
      throw invalidInput('CQ_FILE_NOT_FOUND', `cannot read the experiment file ${displayPath(absolute)}`, {
        file: absolute,
        cause,
      });
    }
    const experiment = parseYamlText(applyToYaml(text, overrides), absolute, experimentSchema, 'experiment', {
      code: 'CQ_EXPERIMENT_INVALID',
      originOf: (path) => overrideOriginOf(overrides, path),
    });
    return [{ file: absolute, dir: dirname(absolute), experiment }];
  }
  if (moduleExtensions.has(extname(absolute))) {
    const module = (await importExperimentModule(absolute)) as { default?: unknown; experiments?: unknown };
    const exported = module.default ?? module.experiments;
    const list = Array.isArray(exported) ? exported : [exported];
    if (exported === undefined) {
      throw invalidInput('CQ_EXPERIMENT_INVALID', `${displayPath(absolute)} exports no experiment`, {
        file: absolute,
        hint: 'export default defineExperiment({ … })',
      });
    }
    return list.map((item) => ({
      file: absolute,
      dir: dirname(absolute),
      experiment: validateExperiment(applyToObject(item, overrides), displayPath(absolute)),
    }));
  }
  throw invalidInput('CQ_EXPERIMENT_FILE_TYPE', `${displayPath(absolute)} is not an experiment file`, {
    file: absolute,
    hint: 'Experiments are *.yaml, *.yml, *.experiment.ts or *.experiment.mts files.',
  });
}

/**
 * Imports an experiment module. The two ways a user's project (unlike this repository) can make that fail get a
 * message that says what to change, not a stack trace.
 */
async function importExperimentModule(absolute: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(absolute).href);
  } catch (cause) {
    if ((cause as { code?: unknown } | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw environmentError(
        'CQ_TYPESCRIPT_UNSUPPORTED',
        `${displayPath(absolute)} is TypeScript, and this Node.js (${process.version}) does not strip types`,
        {
          file: absolute,
          cause,
          hint: 'Run cachequake on Node.js 22.18 or newer (without --no-experimental-strip-types), or write it as YAML.',
        },
      );
    }
    if (cause instanceof SyntaxError && /Cannot use import statement outside a module/.test(cause.message)) {
      throw invalidInput(
        'CQ_EXPERIMENT_FILE_TYPE',
        `${displayPath(absolute)} uses import, but Node.js loads it as CommonJS ("type": "commonjs" in the nearest package.json)`,
        {
          file: absolute,
          cause,
          hint: 'Name it *.experiment.mts (always an ES module), or set "type": "module" in that package.json.',
        },
      );
    }
    throw moduleFailed(absolute, cause);
  }
}

/** Validates an experiment given as an object (TypeScript, runExperiment()). */
export function validateExperiment(input: unknown, where = 'the experiment'): Experiment {
  const result = experimentSchema.safeParse(input);
  if (result.success) return result.data;
  throw invalidInput(
    'CQ_EXPERIMENT_INVALID',
    `${where} is invalid:\n${formatZodIssues(result.error.issues, input, experimentSchema)}`,
    {
      hint: 'Fix the fields listed above; `cachequake list` shows every fault kind and metric.',
    },
  );
}

export async function loadExperiments(
  paths: string[],
  overrides: readonly Override[] = [],
): Promise<LoadedExperiment[]> {
  const loaded: LoadedExperiment[] = [];
  for (const file of await collectExperimentFiles(paths)) loaded.push(...(await loadExperimentFile(file, overrides)));
  return loaded;
}

/** An experiment module that throws (or does not compile) while loading: the user's file, not cachequake, is wrong. */
function moduleFailed(absolute: string, cause: unknown): CachequakeError {
  if (isCachequakeError(cause)) return cause; // already says what is wrong (e.g. a defineTarget() that failed)
  const message = cause instanceof Error ? cause.message : String(cause);
  // the first frame in the user's own file says where; cachequake's frames below it would only distract
  const at = (cause instanceof Error ? (cause.stack ?? '') : '').split('\n').find((l) => l.includes(absolute));
  return invalidInput('CQ_EXPERIMENT_MODULE_FAILED', `${displayPath(absolute)} threw while loading: ${message}`, {
    file: absolute,
    cause,
    hint: `${at ? `${at.trim()}\n` : ''}Fix the error in the module; it must export default defineExperiment({ … }) (or a list of them).`,
  });
}
