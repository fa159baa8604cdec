// The local runtime: real redis-server, PostgreSQL and target processes as children of this process.
export { startRedis } from './redis-server.ts';
export { freePort, releasePort } from './free-port.ts';
export type * from './types.ts';
export { startPostgres } from './postgres-server.ts';
export { startTargetProcess } from './target-process.ts';
