// Writes docs/errors.md from the error catalogue (src/errors/error-catalogue.ts); test/errors checks it is current.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorCatalogue, errorCodes, exitCodeOfClass, type ExitClass } from '../src/errors/index.ts';

const classes: readonly { exitClass: ExitClass; title: string; summary: string; about: string }[] = [
  {
    exitClass: 'deviated',
    title: 'Deviated',
    summary: 'an expectation failed or the steady state did not hold: the system under test deviated',
    about:
      'The system under test broke. A failed expectation also exits 1; it is a verdict in the journal, not an error code.',
  },
  {
    exitClass: 'invalid-input',
    title: 'Invalid input',
    summary: 'an experiment, target, environment file, config file or option is wrong',
    about:
      'An experiment, target, environment file, config file or option is wrong; the message names the file, the field and the value, the hint the fix. Most are found before anything starts; the few found later (a directive redis-server refuses, a fault the guard refuses) stop the run before the fault is sent.',
  },
  {
    exitClass: 'environment',
    title: 'Environment',
    summary: 'something outside cachequake is missing, busy or broken (a binary, a port, Docker, a staging service)',
    about:
      'Something outside cachequake is missing, busy or broken: a binary, a port, Docker, a staging service, the target itself.',
  },
  {
    exitClass: 'aborted',
    title: 'Aborted',
    summary: 'Ctrl-C or an abort condition; every fault was reverted',
    about: 'The run was stopped on purpose; every fault was reverted and everything started was stopped.',
  },
  {
    exitClass: 'internal',
    title: 'Internal',
    summary: 'a bug in cachequake: the stack is printed',
    about:
      'A bug in cachequake: the stack is printed (and kept in the journal). Any error that is not a catalogue error is journaled as CQ_INTERNAL.',
  },
];

export const errorsDocFile = fileURLToPath(new URL('../docs/errors.md', import.meta.url));

/** docs/errors.md: one table per exit class, every code in catalogue order. */
export function renderErrorsDoc(): string {
  const lines = [
    '# Error codes and exit codes',
    '',
    '<!-- Generated from src/errors/error-catalogue.ts by `node scripts/write-errors-doc.ts`; do not edit by hand. -->',
    '',
    'Every problem cachequake reports carries a `CQ_*` code. Each code is declared once, in',
    '[`src/errors/error-catalogue.ts`](../src/errors/error-catalogue.ts), with its exit class; the class decides the',
    "exit code of every command. A run's journal stores the code and its class with each error",
    '(`experiments[].error.exitClass`, `steps[].error`, `faults[].error`).',
    '',
    '| Exit code | Class | Meaning |',
    '| --- | --- | --- |',
    '| 0 | — | every experiment passed |',
    ...classes.map((c) => `| ${exitCodeOfClass[c.exitClass]} | \`${c.exitClass}\` | ${c.summary} |`),
    '',
    'When the experiments of one run end differently, the exit code is that of the first of: aborted (4), internal (70),',
    'invalid input (2), environment (3), failed (1), passed (0).',
  ];
  for (const c of classes) {
    const codes = errorCodes.filter((code) => errorCatalogue[code].exitClass === c.exitClass);
    lines.push(
      '',
      `## ${c.title} — exit ${exitCodeOfClass[c.exitClass]}`,
      '',
      ...wrap(c.about),
      '',
      '| Code | Meaning |',
      '| --- | --- |',
      ...codes.map((code) => `| \`${code}\` | ${errorCatalogue[code].meaning.replace(/[|*]/g, '\\$&')} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A paragraph as lines of at most `width` characters, as the other docs are written. */
function wrap(text: string, width = 115): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(errorsDocFile, renderErrorsDoc());
  console.log(`wrote ${errorsDocFile}`);
}
