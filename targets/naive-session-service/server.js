// naive-session-service: the service from the 2 AM incident, kept as it was so experiments can show why it failed.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import client from 'prom-client';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const sessionTtlSeconds = Number(process.env.SESSION_TTL_SECONDS ?? 3600);
if (
  !Number.isInteger(port) ||
  port < 0 ||
  port > 65535 ||
  !Number.isInteger(sessionTtlSeconds) ||
  sessionTtlSeconds < 1
) {
  console.error(
    `naive-session-service: PORT=${process.env.PORT} and SESSION_TTL_SECONDS=${process.env.SESSION_TTL_SECONDS} must be positive integers`,
  );
  process.exit(2);
}

// ioredis defaults, as in the incident: no connect or command timeout, offline queue on, 20 retries per request.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
redis.on('error', (error) => console.error(`redis: ${error.message}`));

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const sessionsCreated = new client.Counter({
  name: 'sessions_created_total',
  help: 'Successful logins',
  labelNames: ['remember_me'],
  registers: [registry],
});
const sessionChecks = new client.Counter({
  name: 'session_checks_total',
  help: 'Session validations by result',
  labelNames: ['result'],
  registers: [registry],
});
const redisErrors = new client.Counter({
  name: 'redis_errors_total',
  help: 'Redis commands that failed',
  labelNames: ['op'],
  registers: [registry],
});

/** Counts a failed Redis call and rethrows: the request then fails with a 500. */
async function call(op, fn) {
  try {
    return await fn();
  } catch (error) {
    redisErrors.inc({ op });
    throw error;
  }
}

function tokenOf(request) {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  const match =
    typeof request.headers.cookie === 'string' ? /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie) : null;
  return match ? decodeURIComponent(match[1]) : undefined;
}

const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });

async function authenticate(request, reply) {
  const token = tokenOf(request);
  if (!token) return reply.code(401).send({ error: 'missing token' });
  const raw = await call('session-get', () => redis.get(`session:${token}`));
  if (!raw) {
    sessionChecks.inc({ result: 'unknown' });
    return reply.code(401).send({ error: 'session not found or expired' });
  }
  sessionChecks.inc({ result: 'valid' });
  request.user = JSON.parse(raw).user;
}

app.get('/', async () => ({
  service: 'naive-session-service',
  routes: ['POST /login', 'GET /session', 'POST /logout', 'GET /profile', 'GET /feed', 'GET /health', 'GET /metrics'],
}));

app.post(
  '/login',
  {
    schema: {
      body: {
        type: 'object',
        required: ['user', 'password'],
        properties: {
          user: { type: 'string', minLength: 1, maxLength: 200 },
          password: { type: 'string' },
          rememberMe: { type: 'boolean', default: false },
        },
      },
    },
  },
  async (request) => {
    const { user, rememberMe } = request.body;
    const token = randomBytes(24).toString('base64url');
    const session = JSON.stringify({ user, rememberMe, createdAt: Date.now() });
    // The incident: "remember me" sessions were meant to last forever, so they got no TTL at all.
    if (rememberMe) await call('session-set', () => redis.set(`session:${token}`, session));
    else await call('session-set', () => redis.set(`session:${token}`, session, 'EX', sessionTtlSeconds));
    // The profile lives only in Redis too, without a TTL.
    await call('profile-set', () => redis.hset(`user:${user}`, { name: user, lastLoginAt: new Date().toISOString() }));
    sessionsCreated.inc({ remember_me: String(rememberMe) });
    return { token };
  },
);

app.get('/session', { preHandler: authenticate }, async (request) => ({ user: request.user }));

app.post('/logout', async (request, reply) => {
  const token = tokenOf(request);
  if (!token) return reply.code(401).send({ error: 'missing token' });
  await call('session-del', () => redis.del(`session:${token}`));
  return { ok: true };
});

app.get('/profile', { preHandler: authenticate }, async (request) => {
  const profile = await call('profile-get', () => redis.hgetall(`user:${request.user}`));
  return { user: request.user, ...profile };
});

app.get('/feed', { preHandler: authenticate }, async (request) => {
  const key = `feed:${request.user}`;
  const cached = await call('feed-get', () => redis.get(key));
  if (cached) return JSON.parse(cached);
  const feed = {
    user: request.user,
    builtAt: new Date().toISOString(),
    items: Array.from({ length: 10 }, (_, i) => ({ id: i + 1, title: `Item ${i + 1} for ${request.user}` })),
  };
  await call('feed-set', () => redis.set(key, JSON.stringify(feed)));
  return feed;
});

// Redis is the only store, so "Redis down" is "down"; the PING has no timeout, so a frozen Redis hangs this too.
app.get('/health', async (_request, reply) => {
  try {
    await redis.ping();
    return { status: 'ok' };
  } catch (error) {
    return reply.code(503).send({ status: 'down', error: error.message });
  }
});

app.get('/metrics', async (_request, reply) => {
  reply.header('content-type', registry.contentType);
  return registry.metrics();
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`naive-session-service: ${signal}, shutting down`);
  setTimeout(() => process.exit(1), 5000).unref();
  await app.close().catch(() => {});
  redis.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

try {
  await app.listen({ port, host });
  console.error(`naive-session-service: listening on http://${host}:${port}`);
} catch (error) {
  console.error(`naive-session-service: cannot start: ${error.message}`);
  process.exit(1);
}
