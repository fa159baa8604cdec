// The metrics an expectation can name, as data: name, kind, description and labels (`cachequake list` prints it).
import type { MetricDefinition, MetricKind, MetricLabel } from './types.ts';

export const phaseNames = ['baseline', 'fault', 'recovery'] as const;

const phase: MetricLabel = {
  name: 'phase',
  values: phaseNames,
  description: 'restrict to one phase; without it, the whole run',
};

function http(name: string, kind: MetricKind, description: string): MetricDefinition {
  return { name: `http.${name}`, kind, description, labels: [phase] };
}

function redis(name: string, kind: MetricKind, description: string): MetricDefinition {
  return { name: `redis.${name}`, kind, description, labels: [phase] };
}

function writes(name: string, kind: MetricKind, description: string): MetricDefinition {
  return { name: `writes.${name}`, kind, description, labels: [] };
}

function sessions(name: string, kind: MetricKind, description: string): MetricDefinition {
  return { name: `sessions.${name}`, kind, description, labels: [] };
}

function cache(name: string, kind: MetricKind, description: string): MetricDefinition {
  return { name: `cache.${name}`, kind, description, labels: [] };
}

export const targetMetricPrefix = 'target.';

export const metricCatalogue: readonly MetricDefinition[] = [
  http('requests', 'count', 'requests sent by the load driver'),
  http(
    'errors',
    'count',
    'requests that failed, every class together: 401/403 (sessions lost), 5xx, timeouts, connection errors, other 4xx, dropped',
  ),
  http(
    'error_rate',
    'ratio',
    'errors / requests, every class together; the *_rate metrics below tell a logged-out user from a failing service',
  ),
  http(
    'unauthorized_rate',
    'ratio',
    '401 answers to authenticated requests and any 403, / requests: users logged out, not a failing service',
  ),
  http('unauthorized_or_forbidden', 'count', '401 answers to authenticated requests and any 403'),
  http('server_error_rate', 'ratio', '5xx answers / requests: the service failed'),
  http('server_errors', 'count', '5xx answers'),
  http('timeout_rate', 'ratio', 'requests without an answer within load.timeout / requests'),
  http('timeouts', 'count', 'requests without an answer within load.timeout'),
  http('connection_error_rate', 'ratio', 'requests that failed on the socket (refused, reset, closed) / requests'),
  http('connection_errors', 'count', 'requests that failed on the socket: refused, reset, closed'),
  http('other_error_rate', 'ratio', 'other 4xx, dropped (load.maxInFlight) and no-session requests / requests'),
  http('other_errors', 'count', 'other 4xx answers, requests dropped at load.maxInFlight, no ledger session to send'),
  http('rps', 'rate', 'requests per second'),
  http('latency.p50', 'duration', 'median latency, measured from the scheduled send time'),
  http('latency.p90', 'duration', '90th percentile latency'),
  http('latency.p95', 'duration', '95th percentile latency'),
  http('latency.p99', 'duration', '99th percentile latency'),
  http('latency.max', 'duration', 'highest latency'),
  http('unauthorized', 'count', '401 answers to authenticated requests: sessions the service forgot'),
  sessions('created', 'count', 'ledger sessions logged in before any fault'),
  sessions('lost', 'count', 'ledger sessions valid before the faults and answered 401 at the end'),
  sessions('errors', 'count', 'ledger sessions that could not be checked at the end (5xx, timeout)'),
  sessions('lost_rate', 'ratio', 'sessions.lost / sessions.created'),
  cache('ids', 'count', 'ids of the target cache read path (cache.ids) that answered 2xx at baseline'),
  cache('reads', 'count', 'cache reads compared with the baseline answer, during the run and at the end'),
  cache(
    'stale',
    'count',
    'ids whose answer (status and body, minus cache.ignoreFields) differed from the baseline at any read, during the run or at the end',
  ),
  cache('stale_at_end', 'count', 'ids whose answer at the end differs from the baseline'),
  cache('errors', 'count', 'ids whose read at the end failed: 5xx, timeout, no connection'),
  writes('attempted', 'count', 'write-probe writes sent (redis.writeProbe; on by default for sentinel and cluster)'),
  writes('acknowledged', 'count', 'write-probe writes Redis answered OK'),
  writes('failed', 'count', 'write-probe writes that got an error or timed out (not acknowledged, so never lost)'),
  writes('lost', 'count', 'acknowledged write-probe writes missing or changed when read back after the run'),
  writes('unverified', 'count', 'acknowledged write-probe writes that could not be read back'),
  writes(
    'refused_ms',
    'duration',
    'the longest stretch in which write-probe writes failed, from the first failure to the next acknowledged write',
  ),
  redis('evicted_keys', 'count', 'keys evicted by maxmemory (INFO delta over the phase or run)'),
  redis('expired_keys', 'count', 'keys expired by TTL (INFO delta)'),
  redis('keyspace_misses', 'count', 'lookups of missing keys (INFO delta)'),
  redis('rejected_connections', 'count', 'connections refused by maxclients (INFO delta)'),
  redis('used_memory', 'bytes', 'highest used_memory sampled'),
  {
    name: 'recovery.seconds',
    kind: 'seconds',
    description:
      'from the last fault revert until error rate and p99 are within the baseline bounds for 3 s in a row; ∞ if never',
    labels: [],
  },
  {
    name: `${targetMetricPrefix}*`,
    kind: 'count',
    description:
      'any metric the target exports on /metrics, e.g. target.breaker_open; labels are passed through as Prometheus labels; ' +
      'kind from the name: *_seconds → seconds, *_bytes → bytes, *_ratio → ratio, otherwise count',
    labels: [],
    anyLabels: true,
  },
];

const byName = new Map(metricCatalogue.map((m) => [m.name, m]));

/** The definition of a metric name, or undefined; `target.<name>` resolves to a definition with the inferred kind. */
export function findMetric(name: string): MetricDefinition | undefined {
  const exact = byName.get(name);
  if (exact && !exact.name.endsWith('*')) return exact;
  if (name.startsWith(targetMetricPrefix) && name.length > targetMetricPrefix.length) {
    const family = byName.get(`${targetMetricPrefix}*`);
    if (!family) return undefined;
    return { ...family, name, kind: targetMetricKind(name) };
  }
  return undefined;
}

/** Prometheus base-unit suffixes decide the kind of a target metric. */
function targetMetricKind(name: string): MetricKind {
  if (name.endsWith('_seconds')) return 'seconds';
  if (name.endsWith('_bytes')) return 'bytes';
  if (name.endsWith('_ratio')) return 'ratio';
  return 'count';
}

/** Every name a user can write, for error messages (`target.<name>` for the family). */
export function knownMetricNames(): string[] {
  return metricCatalogue.map((m) => (m.name.endsWith('*') ? `${targetMetricPrefix}<name>` : m.name));
}
