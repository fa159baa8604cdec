// The local PostgreSQL takes no login without this run's password: scram-sha-256 over loopback TCP, the socket in a
// directory only its owner reaches; another OS user on the machine gets nowhere.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePostgresBinDir } from '../../../src/runtimes/local/binaries.ts';
import { startPostgres } from '../../../src/runtimes/local/index.ts';
import type { StartedPostgres } from '../../../src/runtimes/local/types.ts';

const run = promisify(execFile);
let postgres: StartedPostgres;
let other: StartedPostgres | undefined;

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);

afterAll(async () => {
  await Promise.all([postgres?.stop(), other?.stop()]);
});

async function login(config: pg.ClientConfig): Promise<string> {
  const client = new pg.Client({ connectionTimeoutMillis: 2000, ...config });
  client.on('error', () => {});
  try {
    await client.connect();
    return String((await client.query<{ u: string }>('SELECT current_user AS u')).rows[0]?.u);
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** psql run as another OS user: exit code and output. */
async function psqlAs(user: string, args: string[]): Promise<{ code: number; output: string }> {
  const psql = join(requirePostgresBinDir(), 'psql');
  try {
    const { stdout, stderr } = await run(
      'setpriv',
      ['--reuid', user, '--regid', 'nogroup', '--clear-groups', psql, '-w', '-X', ...args],
      { env: { PATH: '/usr/bin:/bin', LANG: 'C' }, cwd: '/', timeout: 10_000 },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('local PostgreSQL access', () => {
  it('the url carries a random password, and it logs in as postgres over loopback TCP', async () => {
    expect(postgres.password).toMatch(/^[0-9a-f]{48}$/);
    expect(postgres.url).toBe(`postgres://postgres:${postgres.password}@127.0.0.1:${postgres.port}/postgres`);
    expect(await login({ connectionString: postgres.url })).toBe('postgres');
    const client = new pg.Client(postgres.url);
    await client.connect();
    try {
      const settings = await client.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_settings WHERE name IN ('listen_addresses', 'password_encryption')",
      );
      expect(Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]))).toEqual({
        listen_addresses: '127.0.0.1',
        password_encryption: 'scram-sha-256',
      });
      const rules = await client.query<{ type: string; auth_method: string }>(
        'SELECT type, auth_method FROM pg_hba_file_rules',
      );
      expect(rules.rows.filter((r) => r.type.startsWith('host')).map((r) => r.auth_method)).toEqual([
        'scram-sha-256',
        'scram-sha-256',
      ]);
      const stored = await client.query<{ p: string }>(
        "SELECT rolpassword AS p FROM pg_authid WHERE rolname='postgres'",
      );
      expect(stored.rows[0]?.p).toMatch(/^SCRAM-SHA-256\$/);
    } finally {
      await client.end();
    }
  });

  it('over TCP, no password or a wrong one is refused', async () => {
    const at = { host: '127.0.0.1', port: postgres.port, user: 'postgres', database: 'postgres' };
    expect(await login({ ...at, password: 'wrong' })).toContain('password authentication failed for user "postgres"');
    expect(await login({ ...at, password: '' })).toMatch(/^refused: /);
  });

  it('a new start gets a new password; the old one does not open it', async () => {
    other = await startPostgres();
    expect(other.password).not.toBe(postgres.password);
    expect(
      await login({ host: '127.0.0.1', port: other.port, user: 'postgres', password: postgres.password }),
    ).toContain('password authentication failed');
    expect(await login({ connectionString: other.url })).toBe('postgres');
  }, 60_000);

  it.runIf(process.getuid?.() === 0)(
    'another OS user (nobody) reaches neither the TCP port nor the socket',
    async () => {
      const tcp = await psqlAs('nobody', [
        '-h',
        '127.0.0.1',
        '-p',
        String(postgres.port),
        '-U',
        'postgres',
        '-c',
        'SELECT 1',
      ]);
      expect(tcp.code).not.toBe(0);
      expect(tcp.output).toContain('no password supplied');
      const socket = await psqlAs('nobody', [
        '-h',
        postgres.dir,
        '-p',
        String(postgres.port),
        '-U',
        'postgres',
        '-c',
        'SELECT 1',
      ]);
      expect(socket.code).not.toBe(0);
      expect(socket.output).toMatch(/Permission denied|No such file/);
      // the same psql, given the password, gets in: the refusals above are the password and the directory, not psql
      const withPassword = await psqlAs('nobody', [postgres.url, '-t', '-A', '-c', 'SELECT current_user']);
      expect(withPassword).toEqual({ code: 0, output: 'postgres\n' });
    },
  );
});
