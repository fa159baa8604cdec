// Redis as a cache behind a circuit breaker: fast timeouts, no offline queue, every write with an explicit TTL.
import CircuitBreaker from 'opossum';
import { createRedisClient } from './redis-client.js';

const stateValue = { closed: 0, 'half-open': 1, open: 2 };

export function createCache(config, metrics) {
  const redis = createRedisClient(config, {
    connectTimeout: config.REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: config.REDIS_MAX_RETRIES_PER_REQUEST,
    // A dead Redis must fail a command at once, not queue it until it comes back.
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(50 * times, config.REDIS_RECONNECT_MAX_DELAY_MS),
    // A demoted primary (after a failover) answers writes with READONLY: drop the connection, so the next command
    // reconnects and finds the primary again (through the sentinels). 1, not 2: with no offline queue a resend
    // during the reconnect fails anyway, so the write fails with the READONLY error itself (a cache write is best
    // effort).
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 1 : false),
  });
  let lastLogged = 0;
  redis.on('error', (error) => {
    // Reconnect errors repeat every backoff step; one line per 5 s is enough.
    if (Date.now() - lastLogged > 5000) {
      lastLogged = Date.now();
      console.error(`redis: ${error.message}`);
    }
  });

  const breaker = new CircuitBreaker((_op, fn) => fn(), {
    timeout: config.BREAKER_TIMEOUT_MS,
    errorThresholdPercentage: config.BREAKER_ERROR_PERCENT,
    volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
    rollingCountTimeout: config.BREAKER_WINDOW_MS,
    rollingCountBuckets: 10,
    resetTimeout: config.BREAKER_RESET_MS,
    // An OOM reply means Redis is alive but full: not a reason to stop reading from it.
    errorFilter: (error) => typeof error?.message === 'string' && error.message.startsWith('OOM'),
  });
  const transition = (state) => () => {
    metrics.breakerState.set(stateValue[state]);
    metrics.breakerTransitions.inc({ to: state });
    console.error(`redis breaker: ${state}`);
  };
  breaker.on('open', transition('open'));
  breaker.on('halfOpen', transition('half-open'));
  breaker.on('close', transition('closed'));

  /** Runs one Redis call through the breaker; a failure is counted and rethrown. */
  async function run(op, fn) {
    try {
      return await breaker.fire(op, fn);
    } catch (error) {
      if (error?.code !== 'EOPENBREAKER') metrics.redisErrors.inc({ op });
      throw error;
    }
  }

  return {
    redis,
    breaker,
    /** The cached value, null on a miss; throws when Redis fails or the breaker is open. */
    get: (key, op = 'get') => run(op, () => redis.get(key)),
    /** Writes with `EX ttlSeconds`; best effort: returns false instead of throwing. */
    async set(key, value, ttlSeconds, op = 'set') {
      try {
        await run(op, () => redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds))));
        return true;
      } catch {
        return false;
      }
    },
    async del(key, op = 'del') {
      try {
        await run(op, () => redis.del(key));
        return true;
      } catch {
        return false;
      }
    },
    /** A PING through the breaker (so /health also probes a frozen Redis); true when it answered. */
    async ping() {
      try {
        return (await run('ping', () => redis.ping())) === 'PONG';
      } catch {
        return false;
      }
    },
    state() {
      if (breaker.opened) return 'open';
      return breaker.halfOpen ? 'half-open' : 'closed';
    },
    async close() {
      breaker.shutdown();
      await Promise.race([redis.quit().catch(() => {}), new Promise((r) => setTimeout(r, 500))]);
      redis.disconnect();
    },
  };
}

/** Why a read fell back to PostgreSQL: the breaker was open, Redis timed out, or Redis failed. */
export function fallbackReason(error) {
  if (error?.code === 'EOPENBREAKER') return 'open';
  if (error?.code === 'ETIMEDOUT' || /timed out/i.test(error?.message ?? '')) return 'timeout';
  return 'error';
}
