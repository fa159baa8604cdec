// Re-exports the redis.conf parser: loading with includes, argument splitting and memory units.
export { loadRedisConf, parseRedisConfText, includedFrom } from './load-redis-conf.ts';
export type { LoadRedisConfOptions } from './load-redis-conf.ts';
export type { ConfDirective, ConfProblem, IncludeResolution, RedisConf } from './conf-types.ts';
export { splitArgs, isSplitError } from './split-args.ts';
export type { SplitError } from './split-args.ts';
export { parseMemorySize, describeBytes, memoryUnitHint } from './memory-size.ts';
