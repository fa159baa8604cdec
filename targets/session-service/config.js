// Reads the service's configuration from environment variables, with defaults; a bad value exits with code 2.

/** Every variable the service reads: its default and a one-line description (also printed by --help). */
export const settings = {
  PORT: { default: '3000', doc: 'HTTP port' },
  HOST: { default: '127.0.0.1', doc: 'HTTP bind address' },
  REDIS_URL: { default: 'redis://127.0.0.1:6379', doc: 'Redis, used as a cache only (topology single)' },
  REDIS_TOPOLOGY: {
    default: 'single',
    doc: 'single (REDIS_URL), sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME) or cluster (REDIS_CLUSTER_NODES)',
  },
  REDIS_SENTINELS: { default: '', doc: 'sentinels as host:port,host:port (topology sentinel)' },
  REDIS_SENTINEL_NAME: { default: 'mymaster', doc: 'the master name the sentinels monitor (topology sentinel)' },
  REDIS_SENTINEL_COMMAND_TIMEOUT_MS: {
    default: '500',
    doc: 'how long a sentinel may take to name the primary (topology sentinel)',
  },
  REDIS_CLUSTER_NODES: { default: '', doc: 'cluster seed nodes as host:port,host:port (topology cluster)' },
  DATABASE_URL: { default: 'postgres://postgres@127.0.0.1:5432/postgres', doc: 'PostgreSQL, the source of truth' },
  SESSION_TTL_SECONDS: { default: '3600', doc: 'lifetime of a normal session' },
  REMEMBER_ME_TTL_SECONDS: { default: '2592000', doc: 'lifetime of a "remember me" session (30 days)' },
  SESSION_CACHE_TTL_SECONDS: {
    default: '300',
    doc: 'longest time a session stays cached (capped by its remaining life)',
  },
  PROFILE_CACHE_TTL_SECONDS: { default: '60', doc: 'TTL of cached profiles' },
  FEED_CACHE_TTL_SECONDS: { default: '10', doc: 'TTL of cached feeds' },
  REDIS_CONNECT_TIMEOUT_MS: { default: '500', doc: 'ioredis connectTimeout' },
  REDIS_COMMAND_TIMEOUT_MS: {
    default: '100',
    doc: 'ioredis commandTimeout: a frozen Redis fails a command after this',
  },
  REDIS_MAX_RETRIES_PER_REQUEST: { default: '1', doc: 'ioredis maxRetriesPerRequest (the offline queue is off)' },
  REDIS_RECONNECT_MAX_DELAY_MS: { default: '1000', doc: 'cap of the reconnect backoff' },
  BREAKER_TIMEOUT_MS: { default: '150', doc: 'a Redis call slower than this counts as a failure' },
  BREAKER_ERROR_PERCENT: { default: '50', doc: 'failure rate in the window that opens the breaker' },
  BREAKER_VOLUME_THRESHOLD: { default: '5', doc: 'calls in the window before the breaker may open' },
  BREAKER_WINDOW_MS: { default: '1000', doc: 'rolling window of the failure rate' },
  BREAKER_RESET_MS: { default: '2000', doc: 'time open before a half-open probe' },
  DB_POOL_MAX: { default: '10', doc: 'pg pool size' },
  DB_CONNECT_TIMEOUT_MS: {
    default: '1000',
    doc: 'pg connectionTimeoutMillis: wait for a pool connection at most this',
  },
  DB_QUERY_TIMEOUT_MS: { default: '2000', doc: 'pg statement_timeout and query_timeout' },
  DB_STARTUP_TIMEOUT_MS: { default: '15000', doc: 'how long to wait for PostgreSQL at start' },
};

const strings = new Set([
  'HOST',
  'REDIS_URL',
  'REDIS_TOPOLOGY',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_NAME',
  'REDIS_CLUSTER_NODES',
  'DATABASE_URL',
]);
const topologies = ['single', 'sentinel', 'cluster'];

/** The configuration as numbers and strings; throws an Error naming the variable on a bad value. */
export function readConfig(env = process.env) {
  const config = {};
  for (const [name, { default: fallback }] of Object.entries(settings)) {
    const raw = env[name] ?? fallback;
    if (strings.has(name)) {
      config[name] = raw;
      continue;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${name}=${JSON.stringify(raw)} is not a non-negative integer (default ${fallback})`);
    }
    config[name] = value;
  }
  if (!topologies.includes(config.REDIS_TOPOLOGY))
    throw new Error(`REDIS_TOPOLOGY=${JSON.stringify(config.REDIS_TOPOLOGY)} is not one of ${topologies.join(', ')}`);
  if (config.REDIS_TOPOLOGY === 'sentinel' && !config.REDIS_SENTINELS)
    throw new Error('REDIS_TOPOLOGY=sentinel needs REDIS_SENTINELS=host:port[,host:port]');
  if (config.REDIS_TOPOLOGY === 'cluster' && !config.REDIS_CLUSTER_NODES)
    throw new Error('REDIS_TOPOLOGY=cluster needs REDIS_CLUSTER_NODES=host:port[,host:port]');
  if (config.PORT > 65535) throw new Error(`PORT=${config.PORT} is not a TCP port (0-65535)`);
  return config;
}

export function usage() {
  const lines = Object.entries(settings).map(([name, s]) => `  ${name.padEnd(30)} ${s.doc} (default ${s.default})`);
  return `session-service: environment variables\n${lines.join('\n')}\n`;
}
