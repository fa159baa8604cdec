// Finds redis-server and the PostgreSQL binaries, or explains how to install them.
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { environmentError } from '../../errors/index.ts';

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function redisServerBinary(): string {
  const found = process.env.CACHEQUAKE_REDIS_SERVER ?? findOnPath('redis-server');
  if (!found) {
    throw environmentError('CQ_REDIS_NOT_INSTALLED', 'redis-server was not found on PATH.', {
      hint: 'Install it:\n  Debian/Ubuntu: sudo apt-get install -y redis-server\n  macOS:         brew install redis\nor run `cachequake doctor --fix`, or set CACHEQUAKE_REDIS_SERVER to its path.',
    });
  }
  return found;
}

/**
 * The PostgreSQL bin directory (initdb, postgres, pg_ctl): $CACHEQUAKE_PG_BIN, Debian's /usr/lib/postgresql/<v>/bin, or
 * PATH.
 */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.CACHEQUAKE_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'postgres'))) return fromEnv;
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => existsSync(join(debianRoot, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    const preferred = versions.includes('15') ? '15' : versions[0];
    if (preferred) return join(debianRoot, preferred, 'bin');
  }
  const onPath = findOnPath('postgres');
  return onPath ? join(onPath, '..') : undefined;
}

export function requirePostgresBinDir(): string {
  const dir = postgresBinDir();
  if (!dir || !existsSync(join(dir, 'initdb'))) {
    throw environmentError(
      'CQ_POSTGRES_NOT_INSTALLED',
      'PostgreSQL server binaries (initdb, postgres) were not found.',
      {
        hint: 'Install them:\n  Debian/Ubuntu: sudo apt-get install -y postgresql-15\n  macOS:         brew install postgresql@15\nor run `cachequake doctor --fix`, or set CACHEQUAKE_PG_BIN to the directory holding initdb and postgres.',
      },
    );
  }
  return dir;
}
