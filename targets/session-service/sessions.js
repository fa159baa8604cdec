// Sessions: login writes PostgreSQL first, then the cache; reads go Redis → (miss or error) PostgreSQL → re-cache.
import { createHash, randomBytes } from 'node:crypto';
import { fallbackReason } from './redis-cache.js';

/** Only a hash of the token is stored, in PostgreSQL and in Redis. */
const hashToken = (token) => createHash('sha256').update(token).digest('base64url');
const sessionKey = (tokenHash) => `session:${tokenHash}`;

export function createSessions(config, db, cache, metrics) {
  /** Caches a session for at most SESSION_CACHE_TTL_SECONDS and never past its own expiry. */
  function cacheSession(tokenHash, session) {
    const remainingSeconds = (session.expiresAt - Date.now()) / 1000;
    const ttlSeconds = Math.min(config.SESSION_CACHE_TTL_SECONDS, remainingSeconds);
    if (ttlSeconds < 1) return Promise.resolve(false);
    return cache.set(sessionKey(tokenHash), JSON.stringify(session), ttlSeconds, 'session-set');
  }

  return {
    async login({ user, password, rememberMe }) {
      const token = randomBytes(24).toString('base64url');
      const tokenHash = hashToken(token);
      // A test target: any password is accepted; the first login creates the user.
      const passwordHash = createHash('sha256').update(`${user}:${password}`).digest('base64url');
      const ttlSeconds = rememberMe ? config.REMEMBER_ME_TTL_SECONDS : config.SESSION_TTL_SECONDS;
      const expiresAt = await db.createSession({ user, passwordHash, tokenHash, rememberMe, ttlSeconds });
      metrics.sessionsCreated.inc();
      const session = { user, expiresAt: expiresAt.getTime() };
      await cacheSession(tokenHash, session);
      return { token, expiresAt: expiresAt.toISOString() };
    },

    /** The session's user, or undefined when the token is unknown or expired. Throws only when PostgreSQL fails. */
    async validate(token) {
      const tokenHash = hashToken(token);
      try {
        const cached = await cache.get(sessionKey(tokenHash), 'session-get');
        if (cached) {
          const session = JSON.parse(cached);
          if (session.expiresAt > Date.now()) {
            metrics.cacheHits.inc({ kind: 'session' });
            metrics.sessionChecks.inc({ result: 'valid' });
            return session.user;
          }
        }
        metrics.cacheMisses.inc({ kind: 'session' });
      } catch (error) {
        metrics.fallbacks.inc({ kind: 'session', reason: fallbackReason(error) });
      }
      const session = await db.findSession(tokenHash);
      if (!session) {
        metrics.sessionChecks.inc({ result: 'unknown' });
        return undefined;
      }
      metrics.sessionChecks.inc({ result: 'valid' });
      // Best effort, off the request path: the answer does not wait for Redis.
      if (cache.state() === 'closed') {
        cacheSession(tokenHash, session).then((ok) => ok && metrics.cacheRebuilds.inc({ kind: 'session' }));
      }
      return session.user;
    },

    async logout(token) {
      const tokenHash = hashToken(token);
      await db.deleteSession(tokenHash);
      // If this DEL fails the cached copy lives on for at most SESSION_CACHE_TTL_SECONDS.
      await cache.del(sessionKey(tokenHash), 'session-del');
    },
  };
}

/**
 * A read-through cache for any value: Redis first, then `load()` (PostgreSQL) on a miss or a Redis failure,
 * then write back with `ttlSeconds`.
 */
export async function readThrough(cache, metrics, { kind, key, ttlSeconds, load }) {
  try {
    const cached = await cache.get(key, `${kind}-get`);
    if (cached) {
      metrics.cacheHits.inc({ kind });
      return JSON.parse(cached);
    }
    metrics.cacheMisses.inc({ kind });
  } catch (error) {
    metrics.fallbacks.inc({ kind, reason: fallbackReason(error) });
  }
  const value = await load();
  if (value !== undefined && cache.state() === 'closed') {
    cache
      .set(key, JSON.stringify(value), ttlSeconds, `${kind}-set`)
      .then((ok) => ok && metrics.cacheRebuilds.inc({ kind }));
  }
  return value;
}
