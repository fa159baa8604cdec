// Re-exports the target manifest API: schema and types, loading and resolving, rendering, and the session contract.
export { targetManifestSchema, httpMethods } from './target-manifest-schema.ts';
export type {
  TargetManifest,
  TargetManifestInput,
  TrafficEntry,
  TokenSource,
  TokenCarrier,
  HttpMethod,
} from './target-manifest-schema.ts';
export { defineTarget } from './define-target.ts';
export { loadTarget, targetFromObject } from './load-target.ts';
export type { LoadedTarget } from './load-target.ts';
export { resolveTarget, listBundledTargets, bundledTargetsDir, manifestFileName } from './resolve-target.ts';
export { renderTargetProcess, placeholderValues } from './render-target.ts';
export type { TargetContext, ServiceEndpoint } from './render-target.ts';
export {
  environmentPlaceholders,
  loginPlaceholders,
  requestPlaceholders,
  trafficPathPlaceholders,
  cachePlaceholders,
  placeholdersIn,
  renderTemplate,
} from './placeholders.ts';
export { cacheSchema, maxCacheIds } from './cache-read-schema.ts';
export type { CacheSection } from './cache-read-schema.ts';
export { cacheOf, cacheIds, cacheReadRequest, cacheAnswer } from './cache-contract.ts';
export {
  sessionOf,
  loginRequest,
  readSessionToken,
  authHeaders,
  checkRequest,
  classifyCheck,
  trafficRequest,
  trafficPicker,
} from './session-contract.ts';
export type { RequestSpec, ResponseSpec, Credentials, CheckOutcome, TokenResult } from './session-contract.ts';
export { targetJsonSchemaText, targetSchemaFile } from './target-json-schema.ts';
