// Parses `metric{label=value,…} op number[unit] [for duration]` into a plain Expectation, or throws with the column.
import { ExpressionCursor } from './expression-cursor.ts';
import { expectationError } from './expectation-error.ts';
import { closestNames } from '../schema/closest-names.ts';
import { findMetric, knownMetricNames, targetMetricPrefix } from './metric-catalogue.ts';
import { isUnit, thresholdExamples, unitFactor, unitsAllowedText } from './units.ts';
import type { ComparisonOp, Expectation, MetricDefinition, Unit } from './types.ts';

export interface ParseExpectationOptions {
  /** Accept a ` for <duration>` suffix (abort expressions). Default false. */
  allowFor?: boolean;
}

const operators: readonly ComparisonOp[] = ['<', '<=', '>', '>=', '==', '!='];
const operatorFixes: Record<string, ComparisonOp> = {
  '=': '==',
  '===': '==',
  '=<': '<=',
  '=>': '>=',
  '<>': '!=',
  '!==': '!=',
};
const example = 'http.error_rate{phase=fault} < 1%';
/** Counts whose share has its own metric, for "http.errors < 1%". */
const ratioOf: Record<string, string> = { 'http.errors': 'http.error_rate', 'sessions.lost': 'sessions.lost_rate' };

export function parseExpectation(text: string, options: ParseExpectationOptions = {}): Expectation {
  const cursor = new ExpressionCursor(text);
  const fail = (pos: number, problem: string, fix?: string) => expectationError(text, cursor.column(pos), problem, fix);

  cursor.skipBlanks();
  if (cursor.atEnd())
    throw fail(cursor.pos, 'the expression is empty', `Write: metric op number[unit], e.g. ${example}`);
  const metric = readMetric(cursor, fail);
  cursor.skipBlanks();
  const labels = cursor.peek() === '{' ? readLabels(cursor, metric, fail) : {};
  cursor.skipBlanks();
  const op = readOperator(cursor, fail);
  cursor.skipBlanks();

  const numberPos = cursor.pos;
  const number = readNumber(
    cursor,
    fail,
    `the threshold for ${metric.name}`,
    `Write ${thresholdExamples[metric.kind]}.`,
  );
  const unitPos = cursor.pos;
  const unit = readUnit(cursor, fail, `allowed units for ${metric.name}: ${unitsAllowedText(metric.kind)}`);
  const factor = unitFactor(metric.kind, unit);
  if (factor === undefined) {
    const rate = unit === '%' ? ratioOf[metric.name] : undefined;
    const fix = rate
      ? `For a share, use ${rate}, e.g. ${rate} < ${number}%.`
      : `Write ${thresholdExamples[metric.kind]}.`;
    throw fail(
      unitPos,
      `unit "${unit}" does not fit ${metric.name}, a ${metric.kind} metric; allowed units: ${unitsAllowedText(metric.kind)}`,
      fix,
    );
  }
  if (metric.kind === 'ratio' && unit === undefined && Math.abs(number) > 1) {
    throw fail(
      numberPos,
      `${number} is not a ratio: ${metric.name} is a fraction between 0 and 1`,
      `Write a percentage (${number}%) or a fraction (${number / 100}).`,
    );
  }

  const expectation: Expectation = {
    text: text.trim(),
    metric: metric.name,
    kind: metric.kind,
    labels,
    op,
    value: number * factor,
  };
  if (unit !== undefined) expectation.unit = unit;
  const forMs = readFor(cursor, fail, options.allowFor ?? false);
  if (forMs !== undefined) expectation.forMs = forMs;
  cursor.skipBlanks();
  if (!cursor.atEnd()) {
    throw fail(
      cursor.pos,
      `unexpected "${cursor.restOfToken()}" after the threshold`,
      options.allowFor
        ? 'Only " for <duration>" may follow the threshold, e.g. for 10s.'
        : 'Nothing may follow the threshold; write one expectation per line.',
    );
  }
  return expectation;
}

type Fail = (pos: number, problem: string, fix?: string) => Error;

function readMetric(cursor: ExpressionCursor, fail: Fail): MetricDefinition {
  const pos = cursor.pos;
  const name = cursor.readMetricName();
  const known = knownMetricNames();
  if (!name)
    throw fail(
      pos,
      `expected a metric name, got "${cursor.restOfToken()}"; known metrics: ${known.join(', ')}`,
      `e.g. ${example}`,
    );
  const metric = findMetric(name);
  if (metric) return metric;
  if (name === 'target' || name === targetMetricPrefix) {
    throw fail(
      pos,
      `"${name}" names no metric: write target.<name of a metric the target exports>`,
      'e.g. target.breaker_open == 0',
    );
  }
  const children = known.filter((k) => k.startsWith(`${name}.`));
  const suggestions = children.length > 0 ? children : closestNames(name, known);
  const fix = suggestions.length > 0 ? `Did you mean ${suggestions.join(' or ')}? ` : '';
  throw fail(
    pos,
    `unknown metric "${name}"; known metrics: ${known.join(', ')}`,
    `${fix}\`cachequake list\` prints every metric with its description.`,
  );
}

function readLabels(cursor: ExpressionCursor, metric: MetricDefinition, fail: Fail): Record<string, string> {
  const labels: Record<string, string> = {};
  const allowed = metric.labels.map((l) => l.name);
  const openPos = cursor.pos;
  cursor.eat('{');
  for (;;) {
    cursor.skipBlanks();
    if (cursor.eat('}')) return labels;
    if (cursor.atEnd()) throw fail(openPos, 'the label list is not closed', 'Close it with }, e.g. {phase=fault}.');
    const namePos = cursor.pos;
    const name = cursor.readLabelName();
    if (!name)
      throw fail(
        namePos,
        `expected a label name, got "${cursor.restOfToken()}"`,
        'Labels are name=value pairs, e.g. {phase=fault}.',
      );
    const definition = metric.labels.find((l) => l.name === name);
    if (!definition && !metric.anyLabels) {
      const allowedText =
        allowed.length > 0 ? `allowed labels: ${allowed.join(', ')}` : `${metric.name} takes no labels`;
      const near = closestNames(name, allowed);
      throw fail(
        namePos,
        `unknown label "${name}" for ${metric.name}; ${allowedText}`,
        near.length > 0 ? `Did you mean ${near.join(' or ')}?` : undefined,
      );
    }
    if (name in labels) throw fail(namePos, `label "${name}" is given twice`, 'Give each label once.');
    cursor.skipBlanks();
    if (!cursor.eat('=')) {
      const got = cursor.peek();
      throw fail(
        cursor.pos,
        `expected "=" after label ${name}, got ${got ? `"${got}"` : 'the end'}`,
        `Labels use =, e.g. {${name}=${definition?.values?.[0] ?? 'value'}}.`,
      );
    }
    cursor.skipBlanks();
    const valuePos = cursor.pos;
    const value = cursor.readLabelValue();
    if (value === undefined)
      throw fail(valuePos, `the quoted value of label ${name} is not closed`, 'Close the quote: name="value".');
    if (value === '' && cursor.text[valuePos] !== '"')
      throw fail(valuePos, `expected a value for label ${name}, got "${cursor.restOfToken()}"`);
    const values = definition?.values;
    if (values && !values.includes(value)) {
      const near = closestNames(value, values);
      throw fail(
        valuePos,
        `unknown ${name} "${value}"; allowed values: ${values.join(', ')}`,
        near.length > 0 ? `Did you mean ${name}=${near[0]}?` : `Leave out {${name}=…} for the whole run.`,
      );
    }
    labels[name] = value;
    cursor.skipBlanks();
    if (cursor.eat(',')) continue;
    if (cursor.eat('}')) return labels;
    if (cursor.atEnd()) throw fail(openPos, 'the label list is not closed', 'Close it with }, e.g. {phase=fault}.');
    throw fail(
      cursor.pos,
      `expected "," or "}" in the label list, got "${cursor.restOfToken()}"`,
      'Separate labels with commas: {name=value,other=value}.',
    );
  }
}

function readOperator(cursor: ExpressionCursor, fail: Fail): ComparisonOp {
  const pos = cursor.pos;
  const written = cursor.readOperator();
  const allowedText = `allowed operators: ${operators.join(' ')}`;
  if (!written) {
    throw fail(
      pos,
      `expected an operator, got ${cursor.atEnd() ? 'the end' : `"${cursor.restOfToken()}"`}; ${allowedText}`,
      `e.g. ${example}`,
    );
  }
  if ((operators as readonly string[]).includes(written)) return written as ComparisonOp;
  const fix = operatorFixes[written];
  throw fail(pos, `unknown operator "${written}"; ${allowedText}`, fix ? `Did you mean ${fix}?` : undefined);
}

function readNumber(cursor: ExpressionCursor, fail: Fail, what: string, fix?: string): number {
  const pos = cursor.pos;
  const written = cursor.readNumber();
  if (!written)
    throw fail(pos, `expected a number, ${what}, got ${cursor.atEnd() ? 'the end' : `"${cursor.restOfToken()}"`}`, fix);
  return Number(written);
}

/** A unit right after the number (blanks allowed), or undefined; a word that is no unit is an error, except `for`. */
function readUnit(cursor: ExpressionCursor, fail: Fail, allowedText: string): Unit | undefined {
  const before = cursor.pos;
  cursor.skipBlanks();
  const pos = cursor.pos;
  const word = cursor.readWord();
  if (word === '' || word === 'for') {
    cursor.pos = before;
    return undefined;
  }
  const lower = word.toLowerCase();
  if (isUnit(lower)) return lower;
  const hint =
    lower === 'm' || lower === 'min'
      ? 'Minutes are not a unit here: write 60s.'
      : lower === 'us' || lower === 'µs'
        ? 'Write microseconds as a fraction of ms, e.g. 0.5ms.'
        : undefined;
  const near = closestNames(lower, ['ms', 's', '%', 'kb', 'mb']);
  throw fail(
    pos,
    `unknown unit "${word}"; ${allowedText}`,
    hint ?? (near.length > 0 ? `Did you mean ${near[0]}?` : undefined),
  );
}

function readFor(cursor: ExpressionCursor, fail: Fail, allowFor: boolean): number | undefined {
  const before = cursor.pos;
  if (!cursor.skipBlanks()) return undefined;
  const pos = cursor.pos;
  if (cursor.readWord() !== 'for') {
    cursor.pos = before;
    return undefined;
  }
  if (!allowFor)
    throw fail(
      pos,
      '"for <duration>" is only allowed in abort expressions',
      'Remove " for …" here, or move the expression to abort:.',
    );
  if (!cursor.skipBlanks()) throw fail(cursor.pos, 'expected a blank and a duration after "for"', 'e.g. for 10s');
  const numberPos = cursor.pos;
  const number = readNumber(cursor, fail, 'how long the condition must hold', 'e.g. for 10s');
  const unitPos = cursor.pos;
  const unit = readUnit(cursor, fail, 'allowed units after "for": ms, s');
  if (unit !== 'ms' && unit !== 's') {
    throw fail(
      unitPos,
      `the duration after "for" needs a unit ms or s, got ${unit ? `"${unit}"` : 'none'}`,
      `e.g. for ${number}s`,
    );
  }
  if (number < 0) throw fail(numberPos, `the duration after "for" must not be negative, got ${number}${unit}`);
  return number * (unit === 's' ? 1000 : 1);
}
