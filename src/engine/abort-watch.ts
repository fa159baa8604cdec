// Abort conditions for game days: `http.error_rate > 50% for 10s` checked every second on the last seconds of data.
import { compare, parseExpectation, type Expectation } from '../expectations/index.ts';
import type { LoadSnapshot } from '../load/index.ts';
import type { Sample } from './sampler.ts';

export interface SecondFacts {
  load: LoadSnapshot;
  sample?: Sample;
}

/** The value of a metric within one second, for the metrics that have one; undefined otherwise. */
function perSecond(metric: string, facts: SecondFacts): number | undefined {
  const { load, sample } = facts;
  switch (metric) {
    case 'http.requests':
      return load.rpsLastSecond;
    case 'http.rps':
      return load.rpsLastSecond;
    case 'http.errors':
      return load.errorsLastSecond;
    case 'http.error_rate':
      return load.rpsLastSecond ? load.errorsLastSecond / load.rpsLastSecond : 0;
    case 'http.latency.p99':
      return load.p99MsLastSecond;
    case 'redis.used_memory':
      return sample?.redis?.used_memory;
    case 'sessions.lost':
      return sample?.sessions?.lost;
    case 'sessions.errors':
      return sample?.sessions?.errors;
    default:
      return undefined;
  }
}

export class AbortWatch {
  readonly #rules: { expectation: Expectation; streak: number }[];

  constructor(expressions: readonly string[]) {
    this.#rules = expressions.map((text) => ({ expectation: parseExpectation(text, { allowFor: true }), streak: 0 }));
  }

  /** Feeds one second; returns the expression that held long enough, if any. */
  observe(facts: SecondFacts, phase: string): string | undefined {
    for (const rule of this.#rules) {
      const { expectation } = rule;
      if (expectation.labels.phase && expectation.labels.phase !== phase) {
        rule.streak = 0;
        continue;
      }
      const value = perSecond(expectation.metric, facts);
      rule.streak = value !== undefined && compare(value, expectation.op, expectation.value) ? rule.streak + 1 : 0;
      const needed = Math.max(1, Math.ceil((expectation.forMs ?? 0) / 1000));
      if (rule.streak >= needed) return expectation.text;
    }
    return undefined;
  }
}
