// session-service: the session service done right (PostgreSQL truth, Redis cache with TTLs, breaker, timeouts).
import Fastify from 'fastify';
import { readConfig, usage } from './config.js';
import { createMetrics } from './metrics.js';
import { createDatabase } from './database.js';
import { createCache } from './redis-cache.js';
import { createSessions } from './sessions.js';
import { registerRoutes } from './routes.js';

if (process.argv.includes('--help')) {
  process.stdout.write(usage());
  process.exit(0);
}

let config;
try {
  config = readConfig();
} catch (error) {
  console.error(`session-service: ${error.message}`);
  process.exit(2);
}

const metrics = createMetrics();
const db = createDatabase(config, metrics);
const cache = createCache(config, metrics);
const sessions = createSessions(config, db, cache, metrics);
const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
registerRoutes(app, { config, db, cache, sessions, metrics });

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`session-service: ${signal}, shutting down`);
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  await app.close().catch(() => {});
  await Promise.allSettled([cache.close(), db.close()]);
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

try {
  // PostgreSQL is required (it holds the sessions); Redis is not: the service starts degraded without it.
  await db.migrate(config.DB_STARTUP_TIMEOUT_MS);
  await app.listen({ port: config.PORT, host: config.HOST });
  console.error(`session-service: listening on http://${config.HOST}:${config.PORT}`);
} catch (error) {
  console.error(`session-service: cannot start: ${error.message}`);
  await Promise.allSettled([cache.close(), db.close()]);
  process.exit(1);
}
