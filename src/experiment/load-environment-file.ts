// Loads and validates a staging environment file (--env <file>): problems are reported with file:line:column, exit 2.
import { resolve } from 'node:path';
import { loadYamlFile } from '../schema/index.ts';
import { environmentFileSchema, type LoadedEnvironmentFile } from './environment-file-schema.ts';

export async function loadEnvironmentFile(path: string): Promise<LoadedEnvironmentFile> {
  const file = resolve(path);
  const environment = await loadYamlFile(file, environmentFileSchema, 'environment', {
    code: 'CQ_ENVIRONMENT_INVALID',
    hint: 'Fix the fields listed above; docs/runtimes.md describes the environment file and schemas/environment.schema.json lets an editor check it.',
  });
  return { file, environment };
}
