// A PostgreSQL data directory made by initdb once per machine and copied for every run (a copy takes ~60 ms, initdb
// ~0.6 s).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readdir, rename, rm, chmod, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { environmentError } from '../../errors/index.ts';
import { postgresRunAs } from './postgres-user.ts';

const run = promisify(execFile);

/**
 * Bumped whenever initdb's arguments change, so a template made by another cachequake version (another checkout, an
 * older install on the same machine) is never copied into a run that expects different authentication.
 */
const templateFormat = 'scram1';

export function templateDir(binDir: string): string {
  const version = binDir.split('/').at(-2) ?? 'pg';
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return join(tmpdir(), `cachequake-pg-template-${version}-${templateFormat}-u${uid}`);
}

let making: Promise<string> | undefined;

/** The template's data directory, made on first use; concurrent callers share one initdb. */
export function ensureTemplate(binDir: string): Promise<string> {
  const data = join(templateDir(binDir), 'data');
  if (existsSync(join(data, 'PG_VERSION'))) return Promise.resolve(data);
  making ??= makeTemplate(binDir).finally(() => (making = undefined));
  return making;
}

async function makeTemplate(binDir: string): Promise<string> {
  const runAs = postgresRunAs();
  const staging = await mkdtemp(join(tmpdir(), 'cachequake-pg-initdb-'));
  await chmod(staging, 0o700);
  if (runAs.uid !== undefined && runAs.gid !== undefined) await chown(staging, runAs.uid, runAs.gid);
  const data = join(staging, 'data');
  try {
    await run(
      join(binDir, 'initdb'),
      [
        '-D',
        data,
        '-U',
        'postgres',
        // the socket only (in a 0700 dir); each run writes its own pg_hba.conf with scram over TCP anyway
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
        '--no-instructions',
        '--wal-segsize=1',
      ],
      {
        cwd: staging,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
        ...runAs,
      },
    );
  } catch (cause) {
    await rm(staging, { recursive: true, force: true });
    const stderr = (cause as { stderr?: string }).stderr ?? String(cause);
    throw environmentError('CQ_POSTGRES_INITDB_FAILED', 'initdb failed while preparing the PostgreSQL template.', {
      cause,
      hint: stderr.trim(),
    });
  }
  const target = templateDir(binDir);
  const complete = () => existsSync(join(target, 'data', 'PG_VERSION'));
  // a template dir without data is what an interrupted removal leaves behind: clear it so the rename can land
  if (existsSync(target) && !complete())
    await rm(target, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  try {
    await rename(staging, target);
  } catch (cause) {
    await rm(staging, { recursive: true, force: true });
    // another process made it first: use theirs, if it is whole
    if (!complete())
      throw environmentError(
        'CQ_POSTGRES_TEMPLATE_BROKEN',
        `the PostgreSQL template at ${target} is incomplete and could not be replaced.`,
        { cause, hint: `Remove it: rm -rf ${target}` },
      );
  }
  return join(target, 'data');
}

/**
 * Puts a fresh copy of the template at `<intoBase>/data` (cp -a keeps the postgres owner). A spare copy made in the
 * background by the previous start is taken by an atomic rename when there is one, so the copy is off the critical path.
 */
export async function copyTemplate(templateData: string, intoBase: string): Promise<string> {
  const data = join(intoBase, 'data');
  const sparesDir = join(templateData, '..', 'spares');
  await mkdir(sparesDir, { recursive: true });
  let taken = false;
  for (const spare of (await readdir(sparesDir)).filter((n) => n.startsWith('spare-'))) {
    try {
      await rename(join(sparesDir, spare), data);
      taken = true;
      break;
    } catch {
      // another run took it
    }
  }
  if (!taken) await run('cp', ['-a', templateData, data]);
  refillSpare(templateData, sparesDir);
  return data;
}

const sparesWanted = 2;
let refilling = false;

/**
 * Copies one spare in the background (unref'd: a process that exits mid-copy leaves a staging dir a later run removes).
 */
function refillSpare(templateData: string, sparesDir: string): void {
  if (refilling) return;
  refilling = true;
  void (async () => {
    try {
      const entries = await readdir(sparesDir);
      for (const stale of entries.filter((n) => n.startsWith('staging-'))) {
        const age = Date.now() - (await stat(join(sparesDir, stale)).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
        if (age > 60_000) await rm(join(sparesDir, stale), { recursive: true, force: true });
      }
      if (entries.filter((n) => n.startsWith('spare-')).length >= sparesWanted) return;
      const id = `${process.pid}-${Date.now()}`;
      const staging = join(sparesDir, `staging-${id}`);
      await new Promise<void>((resolve) => {
        const child = execFile('cp', ['-a', templateData, staging], () => resolve());
        child.unref();
      });
      await rename(staging, join(sparesDir, `spare-${id}`)).catch(() => rm(staging, { recursive: true, force: true }));
    } finally {
      refilling = false;
    }
  })();
}
