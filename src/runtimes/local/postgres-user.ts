// Who PostgreSQL runs as: itself when cachequake is not root, else the `postgres` system user (PostgreSQL refuses
// root).
import { execFileSync } from 'node:child_process';
import { environmentError } from '../../errors/index.ts';

export interface RunAs {
  uid?: number;
  gid?: number;
}

let cached: RunAs | undefined;

export function postgresRunAs(): RunAs {
  if (cached) return cached;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return (cached = {});
  const user = process.env.CACHEQUAKE_PG_USER ?? 'postgres';
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    return (cached = { uid, gid });
  } catch (cause) {
    throw environmentError(
      'CQ_POSTGRES_USER_MISSING',
      `cachequake runs as root, and PostgreSQL refuses root, but there is no user '${user}' to run it as.`,
      {
        cause,
        hint: 'Install postgresql-15 (it creates the postgres user), or set CACHEQUAKE_PG_USER to an unprivileged user.',
      },
    );
  }
}
