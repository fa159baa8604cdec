// PostgreSQL, the source of truth: a pool with connect and query timeouts, the schema, and the queries the service
// runs.
import pg from 'pg';

const schema = `
CREATE TABLE IF NOT EXISTS users (
  name text PRIMARY KEY,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz NOT NULL DEFAULT now(),
  logins integer NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash text PRIMARY KEY,
  user_name text NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  remember_me boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user_name ON sessions (user_name);`;

export function createDatabase(config, metrics) {
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.DB_POOL_MAX,
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
    query_timeout: config.DB_QUERY_TIMEOUT_MS,
    statement_timeout: config.DB_QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    application_name: 'session-service',
  });
  // An idle client losing its connection (DB restart) must not crash the process.
  pool.on('error', (error) => console.error(`pg pool: idle client error: ${error.message}`));

  async function query(op, text, values) {
    metrics.dbQueries.inc({ op });
    try {
      return await pool.query(text, values);
    } catch (error) {
      metrics.dbErrors.inc({ op });
      throw error;
    }
  }

  return {
    pool,
    /** Creates the tables, retrying until PostgreSQL answers or `timeoutMs` passes. */
    async migrate(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          await query('migrate', schema);
          return;
        } catch (error) {
          if (Date.now() > deadline)
            throw new Error(`PostgreSQL not reachable after ${timeoutMs} ms: ${error.message}`, { cause: error });
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    /** Creates the user on first login and a session row; returns the session's expiry. */
    async createSession({ user, passwordHash, tokenHash, rememberMe, ttlSeconds }) {
      const { rows } = await query(
        'login',
        `WITH u AS (
           INSERT INTO users (name, password_hash) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET last_login_at = now(), logins = users.logins + 1
           RETURNING name)
         INSERT INTO sessions (token_hash, user_name, remember_me, expires_at)
         SELECT $3, name, $4, now() + make_interval(secs => $5) FROM u
         RETURNING expires_at`,
        [user, passwordHash, tokenHash, rememberMe, ttlSeconds],
      );
      return rows[0].expires_at;
    },
    /** The live session for a token hash, or undefined. */
    async findSession(tokenHash) {
      const { rows } = await query(
        'session',
        'SELECT user_name, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > now()',
        [tokenHash],
      );
      return rows[0] ? { user: rows[0].user_name, expiresAt: rows[0].expires_at.getTime() } : undefined;
    },
    async deleteSession(tokenHash) {
      await query('logout', 'DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    async profile(user) {
      const { rows } = await query(
        'profile',
        'SELECT name, created_at, last_login_at, logins FROM users WHERE name = $1',
        [user],
      );
      const row = rows[0];
      return (
        row && {
          user: row.name,
          createdAt: row.created_at.toISOString(),
          lastLoginAt: row.last_login_at.toISOString(),
          logins: row.logins,
        }
      );
    },
    async activeSessionCount(user) {
      const { rows } = await query(
        'feed',
        'SELECT count(*)::int AS n FROM sessions WHERE user_name = $1 AND expires_at > now()',
        [user],
      );
      return rows[0]?.n ?? 0;
    },
    async ping() {
      await query('health', 'SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
