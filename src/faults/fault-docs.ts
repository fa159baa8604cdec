// docs/faults.md from the fault records: the table of kinds and their traits, and each kind's parameters;
// `node src/faults/fault-docs.ts` writes it (a test fails when the file is stale).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { faultRecords, type AnyFaultRecord } from './catalogue.ts';
import { paramsOf, type ParamInfo } from './fault-list.ts';

export const faultDocsFile: string = fileURLToPath(new URL('../../docs/faults.md', import.meta.url));

/** Markdown text: `<type>` outside code spans would be read as HTML. */
const prose = (text: string) =>
  text
    .split('`')
    .map((part, i) => (i % 2 ? part : part.replaceAll('<', '&lt;').replaceAll('>', '&gt;')))
    .join('`');

/** A table cell: a pipe would end it. */
const cell = (text: string) => prose(text).replaceAll('|', '\\|');

function processCell(record: AnyFaultRecord): string {
  const need = record.traits.needsProcess;
  if (!need) return 'no';
  const what = 'what' in need && need.what ? need.what : 'yes';
  return need.container ? `${what}; docker: ${need.container}` : `${what}; not on docker`;
}

function paramLine(p: ParamInfo): string {
  const facts = [
    p.values ? `one of ${p.values.join(', ')}` : p.type,
    p.required ? 'required' : undefined,
    p.default !== undefined ? `default ${JSON.stringify(p.default)}` : undefined,
  ].filter(Boolean);
  return prose(`- \`${p.name}\`: ${facts.join(', ')}${p.description ? ` — ${p.description}` : ''}`);
}

export function faultDocsText(): string {
  const lines = [
    '# Faults',
    '',
    '<!-- Generated from the fault records (src/faults/catalogue.ts lists them) by `node src/faults/fault-docs.ts`;',
    '     test/faults/fault-records.test.ts fails when this file is stale. Edit the records, not this file. -->',
    '',
    'Every fault kind an experiment can list under `faults:`, read from its record — the same source as the experiment',
    'schema, `cachequake list`, the guard and `backup:`. How they behave and what their evidence shows is told in',
    '[experiments.md](experiments.md#faults); the guard and `backup:` in [safety.md](safety.md).',
    '',
    '- **destructive**: the guard stands before it on Redis (the server this run started, or a staging instance named',
    '  with `--allow-destructive`); toxics on a link change nothing in the server.',
    '- **needs the process**: it signals or restarts the server, so the staging runtime refuses it before anything',
    "  starts (exit 2, `CQ_FAULT_NEEDS_PROCESS`). The docker runtime does it to the server's container as the cell says",
    '  (the same container started again keeps its files and network alias), and refuses those marked "not on',
    '  docker". Every other fault runs on every runtime.',
    '- **topology**: `sentinel` and `cluster` kinds are a validation error under any other `redis.topology`.',
    '- **keys**: what `backup:` saves before the fault (staging only).',
    '',
    '| kind | group | topology | destructive | needs the process | keys it deletes or evicts | what it does |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...faultRecords.map((record) =>
      [
        `[\`${record.kind}\`](#${record.kind})`,
        record.group,
        record.traits.topology,
        record.traits.destructive ? 'yes' : 'no',
        processCell(record),
        record.traits.keys ? record.traits.keys.text : '—',
        record.description,
      ]
        .map(cell)
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
    '',
    '## Parameters',
    '',
    'Every fault also takes `at` (offset into the fault phase, default 0s) and `for` (how long it lasts, default: to',
    'the end of the fault phase). Durations carry a unit (`500ms`, `5s`); sizes are bytes or `kb`/`mb`/`gb`.',
  ];
  for (const record of faultRecords) {
    const params = paramsOf(record).filter((p) => p.name !== 'at' && p.name !== 'for');
    lines.push('', `### ${record.kind}`, '', prose(record.description), '');
    lines.push(...(params.length ? params.map(paramLine) : ['No parameters besides `at` and `for`.']));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes docs/faults.md; false when it was already current. */
export async function writeFaultDocs(file = faultDocsFile): Promise<boolean> {
  const text = faultDocsText();
  if ((await readFile(file, 'utf8').catch(() => '')) === text) return false;
  await writeFile(file, text);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${faultDocsFile} ${(await writeFaultDocs()) ? 'written' : 'unchanged'}\n`);
}
