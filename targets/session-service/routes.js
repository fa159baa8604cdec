// The HTTP routes: login, session check, logout, two cached reads, a home page, /health and /metrics.
import { readThrough } from './sessions.js';

/** The token from `Authorization: Bearer …` or the `sid` cookie. */
function tokenOf(request) {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  const cookie = request.headers.cookie;
  const match = typeof cookie === 'string' ? /(?:^|;\s*)sid=([^;]+)/.exec(cookie) : null;
  return match ? decodeURIComponent(match[1]) : undefined;
}

const loginBody = {
  type: 'object',
  required: ['user', 'password'],
  properties: {
    user: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', maxLength: 200 },
    rememberMe: { type: 'boolean', default: false },
  },
};

export function registerRoutes(app, { config, db, cache, sessions, metrics }) {
  /** Resolves the request's session to a user, or answers 401 (no/unknown token) or 503 (DB down). */
  async function authenticate(request, reply) {
    const token = tokenOf(request);
    if (!token) return reply.code(401).send({ error: 'missing token' });
    const user = await sessions.validate(token);
    if (!user) return reply.code(401).send({ error: 'session not found or expired' });
    request.user = user;
  }

  app.get('/', async () => ({
    service: 'session-service',
    routes: ['POST /login', 'GET /session', 'POST /logout', 'GET /profile', 'GET /feed', 'GET /health', 'GET /metrics'],
  }));

  app.post('/login', { schema: { body: loginBody } }, async (request) => {
    const { user, password, rememberMe } = request.body;
    return sessions.login({ user, password, rememberMe });
  });

  app.get('/session', { preHandler: authenticate }, async (request) => ({ user: request.user }));

  app.post('/logout', async (request, reply) => {
    const token = tokenOf(request);
    if (!token) return reply.code(401).send({ error: 'missing token' });
    await sessions.logout(token);
    return { ok: true };
  });

  app.get('/profile', { preHandler: authenticate }, async (request) =>
    readThrough(cache, metrics, {
      kind: 'profile',
      key: `profile:${request.user}`,
      ttlSeconds: config.PROFILE_CACHE_TTL_SECONDS,
      load: () => db.profile(request.user),
    }),
  );

  app.get('/feed', { preHandler: authenticate }, async (request) =>
    readThrough(cache, metrics, {
      kind: 'feed',
      key: `feed:${request.user}`,
      ttlSeconds: config.FEED_CACHE_TTL_SECONDS,
      load: async () => {
        const activeSessions = await db.activeSessionCount(request.user);
        const items = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, title: `Item ${i + 1} for ${request.user}` }));
        return { user: request.user, activeSessions, builtAt: new Date().toISOString(), items };
      },
    }),
  );

  // ok: DB and Redis fine; degraded: DB fine, Redis down or the breaker not closed; down: the DB fails.
  app.get('/health', async (_request, reply) => {
    const [dbOk, redisOk] = await Promise.all([
      db.ping().then(
        () => true,
        () => false,
      ),
      cache.ping(),
    ]);
    const breaker = cache.state();
    if (!dbOk) return reply.code(503).send({ status: 'down', db: 'down', redis: redisOk ? 'up' : 'down', breaker });
    const status = redisOk && breaker === 'closed' ? 'ok' : 'degraded';
    return { status, db: 'up', redis: redisOk ? 'up' : 'down', breaker };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.setErrorHandler((error, request, reply) => {
    if (error.validation) return reply.code(400).send({ error: error.message });
    request.log.error(error);
    // The DB (source of truth) failed: the service is unavailable, not the session lost.
    return reply.code(503).send({ error: 'unavailable', detail: error.message });
  });
}
