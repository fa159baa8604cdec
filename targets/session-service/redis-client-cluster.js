// A Cluster-aware ioredis client (filled in with the Cluster topology).

export function createClusterClient(_config, _options) {
  throw new Error('REDIS_TOPOLOGY=cluster is not supported by this build of session-service yet');
}
