// A Sentinel-aware ioredis client (filled in with the Sentinel topology).

export function createSentinelClient(_config, _options) {
  throw new Error('REDIS_TOPOLOGY=sentinel is not supported by this build of session-service yet');
}
