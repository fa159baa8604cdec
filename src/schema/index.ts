// Re-exports the shared YAML + zod loader, the issue formatter and the JSON Schema emitter.
export { loadYamlFile, parseYamlText, displayPath } from './load-yaml-file.ts';
export type { LoadYamlOptions } from './load-yaml-file.ts';
export { formatZodIssues, explainIssues } from './format-zod-issues.ts';
export type { ExplainedIssue } from './format-zod-issues.ts';
export { toJsonSchema, jsonSchemaText, writeJsonSchemaFile } from './json-schema.ts';
export type { JsonSchemaOptions } from './json-schema.ts';
export { describeValue, formatPath, listValues } from './describe-value.ts';
