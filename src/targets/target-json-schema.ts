// The JSON Schema of target.yaml, and `node src/targets/target-json-schema.ts` writes it to schemas/target.schema.json.
import { fileURLToPath } from 'node:url';
import { jsonSchemaText, writeJsonSchemaFile } from '../schema/index.ts';
import { targetManifestSchema } from './target-manifest-schema.ts';

export const targetSchemaFile: string = fileURLToPath(new URL('../../schemas/target.schema.json', import.meta.url));

const options = {
  id: 'https://cachequake.dev/schemas/target.schema.json',
  title: 'cachequake target manifest',
  description:
    'How cachequake starts a service, checks its health, logs users in and drives load (targets/<name>/target.yaml).',
};

export function targetJsonSchemaText(): string {
  return jsonSchemaText(targetManifestSchema, options);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const changed = await writeJsonSchemaFile(targetSchemaFile, targetManifestSchema, options);
  process.stdout.write(`${targetSchemaFile} ${changed ? 'written' : 'unchanged'}\n`);
}
