// Table-driven tests of the expectation parser: every operator, unit, label form, blank placement and error.
import { describe, expect, it } from 'vitest';
import { isExpectationError, parseExpectation } from '../../src/expectations/index.ts';
import type { Expectation } from '../../src/expectations/index.ts';

type Parsed = Omit<Expectation, 'text'>;

const valid: Array<[string, Parsed]> = [
  ['http.requests < 10', { metric: 'http.requests', kind: 'count', labels: {}, op: '<', value: 10 }],
  ['http.requests <= 10', { metric: 'http.requests', kind: 'count', labels: {}, op: '<=', value: 10 }],
  ['http.requests > 10', { metric: 'http.requests', kind: 'count', labels: {}, op: '>', value: 10 }],
  ['http.requests >= 10', { metric: 'http.requests', kind: 'count', labels: {}, op: '>=', value: 10 }],
  ['sessions.lost == 0', { metric: 'sessions.lost', kind: 'count', labels: {}, op: '==', value: 0 }],
  ['sessions.lost != 0', { metric: 'sessions.lost', kind: 'count', labels: {}, op: '!=', value: 0 }],
  [
    'http.latency.p99 < 250ms',
    { metric: 'http.latency.p99', kind: 'duration', labels: {}, op: '<', value: 250, unit: 'ms' },
  ],
  [
    'http.latency.p50 < 1.5s',
    { metric: 'http.latency.p50', kind: 'duration', labels: {}, op: '<', value: 1500, unit: 's' },
  ],
  ['http.latency.max < 300', { metric: 'http.latency.max', kind: 'duration', labels: {}, op: '<', value: 300 }],
  ['http.error_rate < 1%', { metric: 'http.error_rate', kind: 'ratio', labels: {}, op: '<', value: 0.01, unit: '%' }],
  ['http.error_rate < 0.5', { metric: 'http.error_rate', kind: 'ratio', labels: {}, op: '<', value: 0.5 }],
  [
    'redis.used_memory < 512kb',
    { metric: 'redis.used_memory', kind: 'bytes', labels: {}, op: '<', value: 512 * 1024, unit: 'kb' },
  ],
  [
    'redis.used_memory <= 32MB',
    { metric: 'redis.used_memory', kind: 'bytes', labels: {}, op: '<=', value: 32 * 1024 * 1024, unit: 'mb' },
  ],
  ['recovery.seconds < 5', { metric: 'recovery.seconds', kind: 'seconds', labels: {}, op: '<', value: 5 }],
  ['recovery.seconds < 5s', { metric: 'recovery.seconds', kind: 'seconds', labels: {}, op: '<', value: 5, unit: 's' }],
  [
    'recovery.seconds < 500ms',
    { metric: 'recovery.seconds', kind: 'seconds', labels: {}, op: '<', value: 0.5, unit: 'ms' },
  ],
  [
    'http.rps{phase=fault} >= 190',
    { metric: 'http.rps', kind: 'rate', labels: { phase: 'fault' }, op: '>=', value: 190 },
  ],
  [
    'http.error_rate{phase=fault} < 1%',
    { metric: 'http.error_rate', kind: 'ratio', labels: { phase: 'fault' }, op: '<', value: 0.01, unit: '%' },
  ],
  [
    'redis.evicted_keys{phase=recovery} == 0',
    { metric: 'redis.evicted_keys', kind: 'count', labels: { phase: 'recovery' }, op: '==', value: 0 },
  ],
  ['redis.evicted_keys > 0', { metric: 'redis.evicted_keys', kind: 'count', labels: {}, op: '>', value: 0 }],
  [
    'sessions.lost_rate < 0.1%',
    { metric: 'sessions.lost_rate', kind: 'ratio', labels: {}, op: '<', value: 0.001, unit: '%' },
  ],
  ['http.unauthorized{} == 0', { metric: 'http.unauthorized', kind: 'count', labels: {}, op: '==', value: 0 }],
  // Blanks anywhere between tokens, and none at all.
  [
    '  http.latency.p99 { phase = fault } <  250 ms  ',
    { metric: 'http.latency.p99', kind: 'duration', labels: { phase: 'fault' }, op: '<', value: 250, unit: 'ms' },
  ],
  [
    'http.latency.p99{phase=fault}<250ms',
    { metric: 'http.latency.p99', kind: 'duration', labels: { phase: 'fault' }, op: '<', value: 250, unit: 'ms' },
  ],
  ['\thttp.errors\t>\t.5', { metric: 'http.errors', kind: 'count', labels: {}, op: '>', value: 0.5 }],
  ['http.errors > -1', { metric: 'http.errors', kind: 'count', labels: {}, op: '>', value: -1 }],
  ['http.errors < 1e3', { metric: 'http.errors', kind: 'count', labels: {}, op: '<', value: 1000 }],
  // Target metrics: any name, labels passed through, kind from the Prometheus suffix.
  ['target.breaker_open == 0', { metric: 'target.breaker_open', kind: 'count', labels: {}, op: '==', value: 0 }],
  [
    'target.http_request_duration_seconds{quantile="0.99",route=/login} < 250ms',
    {
      metric: 'target.http_request_duration_seconds',
      kind: 'seconds',
      labels: { quantile: '0.99', route: '/login' },
      op: '<',
      value: 0.25,
      unit: 'ms',
    },
  ],
  [
    'target.heap_bytes < 64mb',
    { metric: 'target.heap_bytes', kind: 'bytes', labels: {}, op: '<', value: 64 * 1024 * 1024, unit: 'mb' },
  ],
  [
    'target.cache_hit_ratio > 90%',
    { metric: 'target.cache_hit_ratio', kind: 'ratio', labels: {}, op: '>', value: 0.9, unit: '%' },
  ],
  [
    'target.app:errors{msg="a \\"b\\""} == 0',
    { metric: 'target.app:errors', kind: 'count', labels: { msg: 'a "b"' }, op: '==', value: 0 },
  ],
];

describe('parseExpectation: valid expressions', () => {
  it.each(valid)('%s', (text, parsed) => {
    const expectation = parseExpectation(text);
    expect(expectation).toEqual({ text: text.trim(), ...parsed });
    expect(JSON.parse(JSON.stringify(expectation))).toEqual(expectation);
  });

  it('accepts " for <duration>" only when allowFor is set, in ms or s', () => {
    expect(parseExpectation('http.error_rate > 50% for 10s', { allowFor: true })).toMatchObject({
      op: '>',
      value: 0.5,
      forMs: 10_000,
    });
    expect(parseExpectation('http.latency.p99{phase=fault} > 2s for 1500ms', { allowFor: true })).toMatchObject({
      value: 2000,
      forMs: 1500,
      labels: { phase: 'fault' },
    });
    expect(parseExpectation('http.errors > 100 for 3 s', { allowFor: true })).toMatchObject({
      value: 100,
      forMs: 3000,
    });
    expect(parseExpectation('http.errors > 100', { allowFor: true })).not.toHaveProperty('forMs');
  });
});

// [expression, options, column, words the message must contain, words the hint must contain]
const invalid: Array<[string, { allowFor?: boolean }, number, string[], string[]]> = [
  ['', {}, 1, ['empty'], ['http.error_rate{phase=fault} < 1%']],
  ['   ', {}, 4, ['empty'], []],
  ['< 5', {}, 1, ['expected a metric name', '"<"', 'http.requests', 'recovery.seconds'], []],
  [
    'http.eror_rate < 1%',
    {},
    1,
    ['unknown metric "http.eror_rate"', 'known metrics:', 'http.error_rate', 'target.<name>'],
    ['Did you mean http.error_rate?', 'cachequake list'],
  ],
  [
    'http.latency < 250ms',
    {},
    1,
    ['unknown metric "http.latency"'],
    ['http.latency.p50', 'http.latency.p99', 'http.latency.max'],
  ],
  ['  sessions.lose == 0', {}, 3, ['unknown metric "sessions.lose"'], ['sessions.lost']],
  ['target < 1', {}, 1, ['target.<name'], ['target.breaker_open']],
  ['target. < 1', {}, 1, ['names no metric'], []],
  [
    'http.rps{phase=faul} > 1',
    {},
    16,
    ['unknown phase "faul"', 'allowed values: baseline, fault, recovery'],
    ['phase=fault'],
  ],
  ['http.rps{phase=steady} > 1', {}, 16, ['unknown phase "steady"', 'baseline, fault, recovery'], ['Leave out']],
  [
    'http.rps{phaze=fault} > 1',
    {},
    10,
    ['unknown label "phaze" for http.rps', 'allowed labels: phase'],
    ['Did you mean phase?'],
  ],
  ['sessions.lost{phase=fault} == 0', {}, 15, ['unknown label "phase"', 'sessions.lost takes no labels'], []],
  ['http.rps{phase:fault} > 1', {}, 15, ['expected "=" after label phase', '":"'], ['{phase=baseline}']],
  ['http.rps{phase=fault,phase=baseline} > 1', {}, 22, ['label "phase" is given twice'], []],
  ['http.rps{phase=} > 1', {}, 16, ['expected a value for label phase'], []],
  ['http.rps{phase=fault > 1', {}, 22, ['expected "," or "}"', '">"'], []],
  ['http.rps{phase=fault', {}, 9, ['label list is not closed'], ['}']],
  ['http.rps{=fault} > 1', {}, 10, ['expected a label name'], []],
  ['target.x{a="open} > 1', {}, 12, ['quoted value of label a is not closed'], []],
  ['sessions.lost = 0', {}, 15, ['unknown operator "="', 'allowed operators: < <= > >= == !='], ['Did you mean ==?']],
  ['sessions.lost =< 0', {}, 15, ['unknown operator "=<"'], ['Did you mean <=?']],
  ['sessions.lost => 0', {}, 15, ['unknown operator "=>"'], ['Did you mean >=?']],
  ['sessions.lost <> 0', {}, 15, ['unknown operator "<>"'], ['Did you mean !=?']],
  ['sessions.lost 0', {}, 15, ['expected an operator', '"0"', '< <= > >= == !='], []],
  ['sessions.lost', {}, 14, ['expected an operator', 'the end'], []],
  ['http.requests >', {}, 16, ['expected a number', 'the threshold for http.requests', 'the end'], ['a plain number']],
  ['http.requests > lots', {}, 17, ['expected a number', '"lots"'], []],
  [
    'http.error_rate < 5ms',
    {},
    20,
    ['unit "ms" does not fit http.error_rate', 'ratio', 'allowed units: % or none'],
    ['1%'],
  ],
  [
    'http.latency.p99 < 5%',
    {},
    21,
    ['unit "%" does not fit http.latency.p99', 'allowed units: ms, s or none'],
    ['250ms'],
  ],
  ['http.requests > 5kb', {}, 18, ['unit "kb" does not fit http.requests', 'none (a plain number)'], []],
  [
    'redis.used_memory < 5s',
    {},
    22,
    ['unit "s" does not fit redis.used_memory', 'allowed units: kb, mb or none'],
    ['32mb'],
  ],
  ['http.rps > 5%', {}, 13, ['unit "%" does not fit http.rps'], []],
  [
    'http.errors{phase=fault} < 1%',
    {},
    29,
    ['unit "%" does not fit http.errors'],
    ['use http.error_rate, e.g. http.error_rate < 1%'],
  ],
  ['sessions.lost <= 0.5%', {}, 21, ['unit "%" does not fit sessions.lost'], ['sessions.lost_rate']],
  [
    'http.latency.p99 < 250sec',
    {},
    23,
    ['unknown unit "sec"', 'allowed units for http.latency.p99: ms, s or none'],
    [],
  ],
  ['http.latency.p99 < 1m', {}, 21, ['unknown unit "m"'], ['60s']],
  ['http.latency.p99 < 500us', {}, 23, ['unknown unit "us"'], ['0.5ms']],
  ['redis.used_memory < 1gb', {}, 22, ['unknown unit "gb"', 'kb, mb'], []],
  ['http.error_rate < 5', {}, 19, ['5 is not a ratio', 'between 0 and 1'], ['5%', '0.05']],
  ['http.requests > 5 6', {}, 19, ['unexpected "6" after the threshold'], ['one expectation per line']],
  ['http.requests > 5, sessions.lost == 0', {}, 18, ['unexpected ","'], []],
  ['http.error_rate > 50% for 10s', {}, 23, ['"for <duration>" is only allowed in abort expressions'], ['abort:']],
  ['http.error_rate > 50% for 10', { allowFor: true }, 29, ['needs a unit ms or s', 'none'], ['for 10s']],
  ['http.error_rate > 50% for 10%', { allowFor: true }, 29, ['needs a unit ms or s', '"%"'], []],
  ['http.error_rate > 50% for', { allowFor: true }, 26, ['expected a blank and a duration'], []],
  ['http.error_rate > 50% for soon', { allowFor: true }, 27, ['expected a number', '"soon"'], ['for 10s']],
  ['http.error_rate > 50% for -1s', { allowFor: true }, 27, ['must not be negative'], []],
  ['http.error_rate > 50% for 1s and more', { allowFor: true }, 30, ['unexpected "and"'], ['for <duration>']],
];

describe('parseExpectation: errors name the column, what arrived and what is allowed', () => {
  it.each(invalid)('%j', (text, options, column, messageParts, hintParts) => {
    let caught: unknown;
    try {
      parseExpectation(text, options);
    } catch (error) {
      caught = error;
    }
    expect(isExpectationError(caught)).toBe(true);
    if (!isExpectationError(caught)) return;
    expect(caught.code).toBe('CQ_EXPECTATION_INVALID');
    expect(caught.kind).toBe('invalid-input');
    expect(caught.exitCode).toBe(2);
    expect(caught.column).toBe(column);
    expect(caught.message).toContain(`"${text}" at column ${column}:`);
    for (const part of messageParts) expect(caught.message).toContain(part);
    for (const part of hintParts) expect(caught.hint).toContain(part);
    // The hint repeats the expression with a caret under the column.
    const [line, caret] = (caught.hint ?? '').split('\n');
    expect(line).toBe(text);
    expect(caret).toBe(`${' '.repeat(column - 1)}^`);
  });
});
