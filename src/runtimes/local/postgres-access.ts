// Who may connect to a local PostgreSQL: over TCP (loopback only) the postgres role with this run's random password
// (scram-sha-256); over the Unix socket, kept in the run's 0700 directory, only the OS user that owns it (and root).
import { randomBytes } from 'node:crypto';
import { chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { RunAs } from './postgres-user.ts';

/** 48 hex characters: safe in a URL and in an SQL literal without escaping. */
export function randomPostgresPassword(): string {
  return randomBytes(24).toString('hex');
}

const hbaLines = [
  '# written by cachequake for one run: no trust over TCP',
  '# TYPE  DATABASE  USER  ADDRESS       METHOD',
  'local   all       all                 trust',
  'host    all       all   127.0.0.1/32  scram-sha-256',
  'host    all       all   ::1/128       scram-sha-256',
  '',
];

/** Writes `<base>/pg_hba.conf` (owned by the server's user) and returns the settings that make the server use it. */
export async function writeHbaFile(base: string, runAs: RunAs): Promise<Record<string, string>> {
  const file = join(base, 'pg_hba.conf');
  await writeFile(file, hbaLines.join('\n'), { mode: 0o600 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) await chown(file, runAs.uid, runAs.gid);
  return {
    hba_file: file,
    password_encryption: 'scram-sha-256',
    // the socket sits in the run's 0700 directory; this keeps the socket file itself owner-only too
    unix_socket_permissions: '0700',
  };
}

/** A client over the Unix socket in `base` (trusted there, as only the owner reaches it). */
export function socketClient(base: string, port: number): pg.Client {
  const client = new pg.Client({
    host: base,
    port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 500,
  });
  client.on('error', () => {});
  return client;
}

/** Sets the postgres role's password over the socket; TCP logins work from then on, with it only. */
export async function setPostgresPassword(base: string, port: number, password: string): Promise<void> {
  const client = socketClient(base, port);
  try {
    await client.connect();
    await client.query(`ALTER ROLE postgres WITH PASSWORD '${password.replace(/'/g, "''")}'`);
  } finally {
    await client.end().catch(() => {});
  }
}
