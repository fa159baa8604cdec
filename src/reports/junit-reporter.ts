// junit.xml: one testsuite per experiment; a testcase per expectation (actual value in the failure), per steady-state
// probe, per fault, and one for the run itself that carries an experiment error.
import type { ExperimentJournal, Journal } from '../journal/journal-types.ts';
import type { Reporter } from './reporter.ts';
import { formatAt } from './format-quantities.ts';
import { describeErrorClasses } from './outcome-breakdown.ts';
import { causeChain, verdictSentence } from './verdict-summary.ts';
import { xmlAttr, xmlText } from './xml-escape.ts';

interface Case {
  name: string;
  classname: string;
  timeSeconds: number;
  failure?: { message: string; type: string; text: string };
  error?: { message: string; type: string; text: string };
}

export function renderJunit(journal: Journal): string {
  const suites = journal.experiments.map((e, i) => ({ e, i, cases: casesOf(e) }));
  const all = suites.flatMap((s) => s.cases);
  const total = (pick: (c: Case) => boolean) => all.filter(pick).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cachequake ${xmlAttr(journal.runId)}" tests="${all.length}" failures="${total((c) => Boolean(c.failure))}" errors="${total((c) => Boolean(c.error))}" time="${seconds(Date.parse(journal.endedAt) - Date.parse(journal.startedAt))}">`,
  ];
  for (const { e, i, cases } of suites) {
    lines.push(
      `  <testsuite name="${xmlAttr(e.name)}" id="${i}" package="cachequake" hostname="localhost" tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}" errors="${cases.filter((c) => c.error).length}" skipped="0" time="${seconds(e.durationMs)}" timestamp="${timestamp(e.startedAt)}">`,
      '    <properties>',
      ...Object.entries({
        'run-id': journal.runId,
        status: e.status,
        target: e.target.name,
        'experiment-file': e.file ?? '',
        'redis maxmemory': e.environment.redisConfig.maxmemory ?? '',
        'redis maxmemory-policy': e.environment.redisConfig['maxmemory-policy'] ?? '',
      }).map(([name, value]) => `      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`),
      '    </properties>',
    );
    for (const c of cases) {
      const head = `    <testcase name="${xmlAttr(c.name)}" classname="${xmlAttr(c.classname)}" time="${c.timeSeconds.toFixed(3)}"`;
      const problem = c.failure
        ? (['failure', c.failure] as const)
        : c.error
          ? (['error', c.error] as const)
          : undefined;
      if (!problem) lines.push(`${head}/>`);
      else
        lines.push(
          `${head}>`,
          `      <${problem[0]} message="${xmlAttr(problem[1].message)}" type="${xmlAttr(problem[1].type)}">${xmlText(problem[1].text)}</${problem[0]}>`,
          '    </testcase>',
        );
    }
    const fault = e.metrics.fault?.http;
    const classes =
      fault && fault.errors > 0 ? `\nfailed requests in the fault phase: ${describeErrorClasses(fault)}` : '';
    lines.push(`    <system-out>${xmlText(`${verdictSentence(e)}${classes}`)}</system-out>`, '  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function casesOf(e: ExperimentJournal): Case[] {
  const base = `cachequake.${e.name}`;
  const cases: Case[] = [];
  const causes = causeChain(e);
  const context = causes.length ? `\n\nobserved: ${causes.join('; ')}` : '';
  for (const x of e.expectations) {
    cases.push({
      name: x.expression,
      classname: `${base}.expectations`,
      timeSeconds: 0,
      ...(x.passed
        ? {}
        : {
            failure: {
              message: `${x.expression}: actual ${x.actualText}`,
              type: 'ExpectationFailed',
              text: `expected ${x.expression}\nactual   ${x.actualText}${context}`,
            },
          }),
    });
  }
  for (const [when, results] of [
    ['before', e.steadyState.before],
    ['after', e.steadyState.after],
  ] as const) {
    for (const r of results) {
      cases.push({
        name: `steady state ${when}: ${r.name}`,
        classname: `${base}.steady-state`,
        timeSeconds: 0,
        ...(r.passed
          ? {}
          : {
              failure: {
                message: `steady state ${when}: ${r.name}: ${r.detail}`,
                type: 'SteadyStateDeviated',
                text: r.detail,
              },
            }),
      });
    }
  }
  for (const f of e.faults) {
    const bad = f.status === 'failed' || f.status === 'not-reverted' || f.status === 'pending';
    const span =
      f.appliedAtMs === undefined
        ? 'not applied'
        : `applied ${formatAt(f.appliedAtMs)}${f.revertedAtMs === undefined ? '' : `, reverted ${formatAt(f.revertedAtMs)}`}`;
    const time =
      f.appliedAtMs !== undefined && f.revertedAtMs !== undefined ? (f.revertedAtMs - f.appliedAtMs) / 1000 : 0;
    cases.push({
      name: `fault ${f.index + 1}: ${f.kind} applied and reverted`,
      classname: `${base}.faults`,
      timeSeconds: time,
      ...(bad && e.status !== 'aborted'
        ? {
            error: {
              message: `fault ${f.index + 1} ${f.kind} ${f.status}${f.error ? `: ${f.error.message}` : ''}`,
              type: f.error?.code ?? 'FaultFailed',
              text: `${span}\n${f.error?.hint ?? ''}`,
            },
          }
        : {}),
    });
  }
  const runFailed = e.status === 'error' || e.status === 'aborted';
  cases.push({
    name: 'experiment run',
    classname: `${base}.run`,
    timeSeconds: e.durationMs / 1000,
    ...(runFailed
      ? {
          error: {
            message:
              e.status === 'aborted'
                ? `aborted: ${e.abort?.reason ?? e.error?.message ?? 'interrupted'}`
                : `${e.error?.code ?? 'error'}: ${e.error?.message ?? 'the run did not complete'}`,
            type: e.error?.code ?? e.status,
            text: [
              e.error?.message,
              e.error?.hint,
              e.environment.targetLog?.length ? `target log:\n${e.environment.targetLog.join('\n')}` : '',
            ]
              .filter(Boolean)
              .join('\n\n'),
          },
        }
      : {}),
  });
  return cases;
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(3) : '0';
}

/** ISO 8601 without zone or fraction, as Surefire and Jenkins' schema write it (the journal's times are UTC). */
function timestamp(iso: string): string {
  return iso.replace(/\.\d+/, '').replace(/Z$/, '');
}

export const junitReporter: Reporter = { name: 'junit', fileName: 'junit.xml', render: renderJunit };
