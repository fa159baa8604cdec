// `cachequake merge <run-dir>... --out <dir>`: one journal, report.html, junit.xml and summary.md from the run
// directories of a run's shards; exit code the worst of theirs (as one `cachequake run` of them all would exit).
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { invalidInput } from '../../errors/index.ts';
import { displayPath } from '../../schema/index.ts';
import { exitCodeOf, exitInputOf } from './run.ts';

interface MergeFlags {
  out: string;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description("merge the shards' run directories (run --shard i/n) into one journal and its reports")
    .argument(
      '<run-dirs...>',
      "the shards' run directories (reports/<run-id>/), their journal.json, or folders holding run directories",
    )
    .requiredOption('--out <dir>', 'where the merged journal.json, report.html, junit.xml and summary.md are written')
    .action(async (runDirs: string[], flags: MergeFlags) => {
      const [{ readJournal, writeReports, reporters, mergeJournals, checkOneVersion }, { journalJson, newRunId }] =
        await Promise.all([import('../../reports/index.ts'), import('../../journal/write-journal.ts')]);
      const out = resolve(flags.out);
      const paths = (await Promise.all(runDirs.map((dir) => journalPaths(resolve(dir), out)))).flat();
      // versions first: a journal of another version is named as such, not as "not a journal"
      checkOneVersion(
        (await Promise.all(paths.map(peekVersion))).filter((v): v is { file: string; version: unknown } => !!v),
      );
      const inputs = [];
      for (const path of paths) {
        const { journal, file } = await readJournal(path);
        inputs.push({ file: displayPath(file), journal });
      }
      const merged = mergeJournals(inputs, newRunId());
      const journalFile = join(out, 'journal.json');
      await mkdir(out, { recursive: true });
      await writeFile(journalFile, journalJson(merged));
      const written = await writeReports(merged, out);
      for (const warning of written.warnings) process.stderr.write(`warning: ${warning}\n`);
      const shards = inputs.map((i) => (i.journal.shard ? `${i.journal.shard.index}/${i.journal.shard.count}` : '-'));
      process.stdout.write(
        `${reporters.console.render(merged)}\nmerged ${inputs.length} run(s) (shards ${shards.join(', ')}), ` +
          `${merged.experiments.length} experiment(s)\njournal: ${journalFile}\nreport: ${written.html}\n` +
          `junit:  ${written.junit}\nsummary: ${written.markdown}\n`,
      );
      process.exitCode = exitCodeOf(merged.experiments.map(exitInputOf));
    });
}

/**
 * A journal file or run directory as given; a folder without a journal.json stands for the run directories below it
 * (e.g. downloaded CI artifacts), leaving out the merged output itself when it lies inside.
 */
async function journalPaths(path: string, out: string): Promise<string[]> {
  const { findJournals, journalSearchDepth } = await import('../../reports/find-journals.ts');
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory() || existsSync(join(path, 'journal.json'))) {
    if (path === out || path === join(out, 'journal.json'))
      throw invalidInput('CQ_OPTION_INVALID', `--out ${displayPath(out)} is one of the run directories being merged`, {
        hint: 'Write the merged run to a directory of its own, e.g. --out reports/merged.',
      });
    return [path]; // readJournal names what is wrong with it
  }
  const found = (await findJournals(path)).filter((file) => dirname(file) !== out);
  if (found.length === 0)
    throw invalidInput(
      'CQ_JOURNAL_NOT_FOUND',
      `${displayPath(path)} holds no journal.json (searched ${journalSearchDepth} levels deep)`,
      {
        hint: "Give the shards' run directories (reports/<run-id>/) or the folder their artifacts were downloaded to.",
      },
    );
  return found;
}

/** The `version` of a journal, when the file reads as JSON at all (readJournal reports every other problem). */
async function peekVersion(path: string): Promise<{ file: string; version: unknown } | undefined> {
  const info = await stat(path).catch(() => undefined);
  const file = info?.isDirectory() ? join(path, 'journal.json') : path;
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown } | null;
    return { file: displayPath(file), version: data?.version };
  } catch {
    return undefined;
  }
}
