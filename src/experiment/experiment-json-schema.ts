// The JSON Schema of experiment files, and `node src/experiment/experiment-json-schema.ts` writes it to
// schemas/experiment.schema.json.
import { fileURLToPath } from 'node:url';
import { jsonSchemaText, writeJsonSchemaFile } from '../schema/index.ts';
import { experimentSchema } from './experiment-schema.ts';

export const experimentSchemaFile: string = fileURLToPath(
  new URL('../../schemas/experiment.schema.json', import.meta.url),
);

const options = {
  id: 'https://cachequake.dev/schemas/experiment.schema.json',
  title: 'cachequake experiment',
  description:
    'A chaos experiment: the environment, the session ledger, load, phases, faults and expectations (experiments/*.yaml).',
};

export function experimentJsonSchemaText(): string {
  return jsonSchemaText(experimentSchema, options);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const changed = await writeJsonSchemaFile(experimentSchemaFile, experimentSchema, options);
  process.stdout.write(`${experimentSchemaFile} ${changed ? 'written' : 'unchanged'}\n`);
}
