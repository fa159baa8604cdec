// The JSON Schema of staging environment files; `node src/experiment/environment-json-schema.ts` writes
// schemas/environment.schema.json.
import { fileURLToPath } from 'node:url';
import { jsonSchemaText, writeJsonSchemaFile } from '../schema/index.ts';
import { environmentFileSchema } from './environment-file-schema.ts';

export const environmentSchemaFile: string = fileURLToPath(
  new URL('../../schemas/environment.schema.json', import.meta.url),
);

const options = {
  id: 'https://cachequake.dev/schemas/environment.schema.json',
  title: 'cachequake staging environment',
  description:
    'A staging environment for cachequake run --env: the target, Toxiproxy and its proxies, Redis, the metrics, the permitted faults and the guard.',
};

export function environmentJsonSchemaText(): string {
  return jsonSchemaText(environmentFileSchema, options);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const changed = await writeJsonSchemaFile(environmentSchemaFile, environmentFileSchema, options);
  process.stdout.write(`${environmentSchemaFile} ${changed ? 'written' : 'unchanged'}\n`);
}
