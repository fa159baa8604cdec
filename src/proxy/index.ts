// The fault proxy: a Toxiproxy 2.12-compatible API server and TCP proxy, embedded or standalone.
export { startFaultProxy, PopulateError } from './start-fault-proxy.ts';
export type { FaultProxyOptions, StartedFaultProxy } from './start-fault-proxy.ts';
export { toxiproxyVersion } from './api/admin-handlers.ts';
