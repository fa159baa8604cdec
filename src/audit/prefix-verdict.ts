// The verdict for one key prefix under the server's eviction policy: what happens to these keys when memory is full.
import type { Risk } from './audit-types.ts';

export interface VerdictInput {
  /** What the keys are called in a sentence: `session:* keys`, `keys without ":"`. */
  subject: string;
  keys: number;
  withoutTtl: number;
  policy: string;
  maxmemoryBytes: number;
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export function prefixVerdict({ subject, keys, withoutTtl, policy, maxmemoryBytes }: VerdictInput): {
  risk: Risk;
  verdict: string;
} {
  const share = keys === 0 ? 0 : withoutTtl / keys;
  const lead =
    withoutTtl === 0
      ? `all ${subject} have a TTL`
      : withoutTtl === keys
        ? `none of the ${subject} has a TTL`
        : `${percent(share)} of ${subject} have no TTL`;
  if (maxmemoryBytes === 0) {
    return {
      risk: 'medium',
      verdict: `${lead}; maxmemory is 0, so ${policy} never applies: nothing is evicted and Redis grows until the OS kills it`,
    };
  }
  if (policy.startsWith('allkeys-')) {
    if (withoutTtl === 0)
      return { risk: 'low', verdict: `${lead}; ${policy} may evict them before they expire when memory is full` };
    const volatile = policy.replace('allkeys-', 'volatile-');
    const alternative =
      volatile === 'volatile-random' || volatile === 'volatile-lru' || volatile === 'volatile-lfu'
        ? volatile
        : 'volatile-lru';
    return {
      risk: 'high',
      verdict: `${lead}; ${policy} can evict any of them when memory is full, TTL or not; ${alternative} would never evict the ${withoutTtl} without a TTL, and would reach OOM once only keys without a TTL remain`,
    };
  }
  if (policy.startsWith('volatile-')) {
    if (withoutTtl === 0) return { risk: 'low', verdict: `${lead}; ${policy} may evict them when memory is full` };
    return {
      risk: 'medium',
      verdict: `${lead}; ${policy} never evicts those, so once only keys without a TTL remain every write fails with OOM`,
    };
  }
  return {
    risk: 'low',
    verdict: `${lead}; ${policy} evicts nothing: at maxmemory every write fails with OOM, but none of the ${subject} is lost`,
  };
}
