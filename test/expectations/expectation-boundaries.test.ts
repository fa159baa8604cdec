// The edges of the expectation language that a mutation run (Stryker) showed untested: each operator on both sides
// of its threshold and at it, equality near zero, the unit hints, the `for` boundary, number and byte formatting at
// each step, and which errors count as expectation errors.
import { describe, expect, it } from 'vitest';
import {
  evaluateExpectation,
  formatNumber,
  formatValue,
  isExpectationError,
  parseExpectation,
} from '../../src/expectations/index.ts';
import { invalidInput } from '../../src/errors/index.ts';

const passes = (text: string, actual: number) => evaluateExpectation(parseExpectation(text), () => actual).passed;

describe('every operator below, at and above its threshold', () => {
  // [operator, below, at, above, at plus float noise (0.1 + 0.2 against 0.3)]
  const table: Array<[string, boolean, boolean, boolean, boolean]> = [
    ['<', true, false, false, false],
    ['<=', true, true, false, true],
    ['>', false, false, true, false],
    ['>=', false, true, true, true],
    ['==', false, true, false, true],
    ['!=', true, false, true, false],
  ];
  it.each(table)('%s', (op, below, at, above, noisy) => {
    expect(passes(`http.error_rate ${op} 30%`, 0.2)).toBe(below);
    expect(passes(`http.error_rate ${op} 30%`, 0.3)).toBe(at);
    expect(passes(`http.error_rate ${op} 30%`, 0.4)).toBe(above);
    expect(passes(`http.error_rate ${op} 30%`, 0.1 + 0.2)).toBe(noisy); // 0.30000000000000004
    expect(passes(`http.error_rate ${op} 30%`, 0.3 - 1e-6)).toBe(below); // a real difference, not noise
  });

  it('== 0 is exact: one error in a million is not zero', () => {
    expect(passes('http.error_rate == 0', 1e-6)).toBe(false);
    expect(passes('http.error_rate != 0', 1e-6)).toBe(true);
    expect(passes('http.error_rate == 0', 0)).toBe(true);
  });
});

describe('parse edges', () => {
  const hintOf = (text: string, options = {}) => {
    try {
      parseExpectation(text, options);
    } catch (error) {
      if (isExpectationError(error)) return error.hint ?? '';
      throw error;
    }
    throw new Error(`"${text}" parsed`);
  };

  it('names the fix for minutes and microseconds in every spelling, and the closest unit otherwise', () => {
    expect(hintOf('http.latency.p99 < 1min')).toContain('write 60s');
    expect(hintOf('http.latency.p99 < 1m')).toContain('write 60s');
    expect(hintOf('http.latency.p99 < 500µs')).toContain('0.5ms');
    expect(hintOf('http.latency.p99 < 500us')).toContain('0.5ms');
    expect(hintOf('redis.used_memory < 1gb')).toMatch(/Did you mean (kb|mb)\?/);
    expect(hintOf('redis.used_memory < 1gb')).not.toContain('microseconds');
    expect(hintOf('http.latency.p99 < 250sec')).not.toContain('microseconds');
  });

  it('accepts the boundaries: a ratio of exactly 1, a for of 0 s; a unit stays as written only when given', () => {
    expect(parseExpectation('http.error_rate <= 1').value).toBe(1);
    expect(parseExpectation('http.error_rate > 50% for 0s', { allowFor: true }).forMs).toBe(0);
    expect(parseExpectation('http.requests > 5')).not.toHaveProperty('unit');
    expect(parseExpectation('http.latency.p99 < 2s').unit).toBe('s');
  });

  it('suggests the rate metric for a % only where one exists', () => {
    expect(hintOf('http.errors < 1%')).toContain('http.error_rate');
    expect(hintOf('http.requests > 5%')).not.toContain('For a share');
  });

  it('lists what is allowed in full, and suggests only what is near', () => {
    const errorOf = (text: string, options = {}) => {
      try {
        parseExpectation(text, options);
      } catch (error) {
        if (isExpectationError(error)) return { message: error.message, hint: error.hint ?? '' };
        throw error;
      }
      throw new Error(`"${text}" parsed`);
    };
    expect(errorOf('< 5').message).toMatch(/known metrics: http\.requests, http\.errors, /);
    expect(errorOf('< 5').hint).toContain('e.g. http.error_rate');
    expect(errorOf('http.eror_rate < 1%').message).toMatch(/known metrics: http\.requests, http\.errors, /);
    expect(errorOf('zzzz.qqqq < 1').hint).not.toContain('Did you mean');
    expect(errorOf('zzzz.qqqq < 1').hint).toContain('`cachequake list`');
    expect(errorOf('http.error_rate > 50% for', { allowFor: true }).hint).toContain('e.g. for 10s');
    expect(errorOf('http.error_rate > 50% for soon', { allowFor: true }).message).toContain(
      'how long the condition must hold',
    );
    expect(errorOf('http.error_rate > 50% for 10sec', { allowFor: true }).message).toContain(
      'allowed units after "for": ms, s',
    );
  });

  it('counts only CachequakeErrors with the expectation code and a column as expectation errors', () => {
    expect(isExpectationError(new Error('x'))).toBe(false);
    expect(isExpectationError(invalidInput('CQ_FILE_NOT_FOUND', 'x'))).toBe(false);
    expect(isExpectationError(invalidInput('CQ_EXPECTATION_INVALID', 'x'))).toBe(false); // no column
    expect(hintOf('sessions.lost = 0').split('\n')).toEqual([
      'sessions.lost = 0',
      '              ^',
      'Did you mean ==?',
    ]);
  });
});

describe('formatting at each step', () => {
  it.each([
    [0, '0'],
    [100, '100'],
    [99.96, '100'],
    [10, '10'],
    [10.04, '10'],
    [9.996, '10'],
    [1, '1'],
    [1.005, '1'],
    [0.99949, '1'],
    [-12.34, '-12.3'],
  ])('formatNumber(%d) = %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it('steps bytes at exactly 1024 and stops at the largest unit', () => {
    expect(formatValue('bytes', 1023)).toBe('1023 B');
    expect(formatValue('bytes', 1024)).toBe('1 KB');
    expect(formatValue('bytes', 1024 ** 5)).toBe('1024 TB');
    expect(formatValue('bytes', -2048)).toBe('-2 KB');
  });

  it('prints no data for NaN and signed infinities', () => {
    expect(formatValue('count', Number.NaN)).toBe('no data');
    expect(formatValue('seconds', -Infinity)).toBe('-∞');
    expect(formatValue('ratio', 0)).toBe('0%');
  });
});
