// The Prometheus metrics of the service: cache hits and misses, fallbacks, Redis errors, DB queries, breaker state.
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const counter = (name, help, labelNames = []) =>
    new client.Counter({ name, help, labelNames, registers: [registry] });
  const metrics = {
    registry,
    cacheHits: counter('cache_hits_total', 'Reads answered from Redis', ['kind']),
    cacheMisses: counter('cache_misses_total', 'Reads Redis answered with nothing (then served from PostgreSQL)', [
      'kind',
    ]),
    fallbacks: counter(
      'cache_fallbacks_total',
      'Reads served from PostgreSQL because Redis failed or the breaker was open',
      ['kind', 'reason'],
    ),
    cacheRebuilds: counter('cache_rebuilds_total', 'Cache entries written back after a miss or a fallback', ['kind']),
    redisErrors: counter('redis_errors_total', 'Redis commands that failed (error or timeout)', ['op']),
    dbQueries: counter('db_queries_total', 'PostgreSQL queries', ['op']),
    dbErrors: counter('db_errors_total', 'PostgreSQL queries that failed', ['op']),
    sessionsCreated: counter('sessions_created_total', 'Successful logins'),
    sessionChecks: counter('session_checks_total', 'Session validations by result', ['result']),
    breakerTransitions: counter('redis_breaker_transitions_total', 'Circuit breaker state changes', ['to']),
    breakerState: new client.Gauge({
      name: 'redis_breaker_state',
      help: 'Redis circuit breaker: 0 closed, 1 half-open, 2 open',
      registers: [registry],
    }),
  };
  metrics.breakerState.set(0);
  return metrics;
}
