// catalogue-service: a product catalogue with read-through caching; PostgreSQL is the source of truth, Redis a cache
// with a TTL on every key, skipped (straight to the database) when it fails or is slow.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import pg from 'pg';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const products = Number(env.PRODUCTS ?? 500);
const cacheTtlSeconds = Number(env.CACHE_TTL_SECONDS ?? 300);
const redisTimeoutMs = Number(env.REDIS_COMMAND_TIMEOUT_MS ?? 150);
// what a read answers when Redis fails: `database` (right), or `placeholder` (a made-up product: the bug a cache
// check exists to catch, kept for cachequake's own tests)
const onRedisError = env.ON_REDIS_ERROR ?? 'database';
for (const [name, value] of Object.entries({ PORT: port, PRODUCTS: products, CACHE_TTL_SECONDS: cacheTtlSeconds })) {
  if (!Number.isInteger(value) || value < 0) {
    console.error(`catalogue-service: ${name}=${env[name]} must be a non-negative integer`);
    process.exit(2);
  }
}
if (!env.DATABASE_URL || !['database', 'placeholder'].includes(onRedisError)) {
  console.error('catalogue-service: DATABASE_URL is required; ON_REDIS_ERROR is database or placeholder');
  process.exit(2);
}

// fail fast on Redis: a dead one fails a command at once, a frozen one after REDIS_COMMAND_TIMEOUT_MS
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  connectTimeout: 1000,
  commandTimeout: redisTimeoutMs,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: (times) => Math.min(50 * times, 500),
});
let lastRedisLog = 0;
redis.on('error', (error) => {
  if (Date.now() - lastRedisLog > 5000) {
    lastRedisLog = Date.now();
    console.error(`redis: ${error.message}`);
  }
});
const db = new pg.Pool({
  connectionString: env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 2000,
  query_timeout: 2000,
  statement_timeout: 2000,
});
db.on('error', (error) => console.error(`pg pool: ${error.message}`));

const counters = { cache_hits_total: 0, cache_misses_total: 0, cache_bypasses_total: 0, db_errors_total: 0 };

/** The product as the database has it, or null; the price is deterministic in the id so every start agrees. */
async function productFromDb(id) {
  const { rows } = await db.query('SELECT id, name, price_cents, stock FROM products WHERE id = $1', [id]);
  const row = rows[0];
  return row ? { id: row.id, name: row.name, priceCents: row.price_cents, stock: row.stock } : null;
}

/** Read-through: Redis, then on a miss or a Redis error PostgreSQL, written back to Redis with a TTL. */
async function readProduct(id) {
  const key = `catalogue:product:${id}`;
  let cached;
  try {
    cached = await redis.get(key);
  } catch {
    counters.cache_bypasses_total++;
    if (onRedisError === 'placeholder') return { source: 'placeholder', product: { id, name: 'unavailable' } };
    return { source: 'bypass', product: await productFromDb(id) };
  }
  if (cached !== null) {
    counters.cache_hits_total++;
    return { source: 'hit', product: JSON.parse(cached) };
  }
  counters.cache_misses_total++;
  const product = await productFromDb(id);
  if (product) redis.set(key, JSON.stringify(product), 'EX', cacheTtlSeconds).catch(() => {});
  return { source: 'miss', product };
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://catalogue');
  const match = /^\/products\/(\d+)$/.exec(url.pathname);
  if (req.method === 'GET' && match) {
    const { source, product } = await readProduct(Number(match[1]));
    return product ? send(res, 200, product, { 'x-cache': source }) : send(res, 404, { error: 'no such product' });
  }
  if (req.method === 'GET' && url.pathname === '/health') {
    await db.query('SELECT 1');
    return send(res, 200, { status: 'ok', redis: redis.status });
  }
  if (req.method === 'GET' && url.pathname === '/metrics') {
    const text = Object.entries(counters)
      .map(([name, value]) => `# TYPE catalogue_${name} counter\ncatalogue_${name} ${value}\n`)
      .join('');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    return res.end(text);
  }
  if (req.method === 'GET' && url.pathname === '/') return send(res, 200, { service: 'catalogue', products });
  return send(res, 404, { error: 'not found' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    counters.db_errors_total++;
    send(res, 503, { error: `unavailable: ${error.message}` });
  });
});

/** The products table, filled once with `products` rows (names and prices derived from the id). */
async function seed() {
  await db.query(`CREATE TABLE IF NOT EXISTS products (
    id integer PRIMARY KEY, name text NOT NULL, price_cents integer NOT NULL, stock integer NOT NULL)`);
  await db.query(
    `INSERT INTO products (id, name, price_cents, stock)
     SELECT i, 'product ' || i, 100 + (i * 37) % 9900, (i * 13) % 250 FROM generate_series(1, $1::int) AS i
     ON CONFLICT (id) DO NOTHING`,
    [products],
  );
}

async function shutdown(signal) {
  console.error(`catalogue-service: ${signal}, shutting down`);
  setTimeout(() => process.exit(1), 5000).unref();
  server.close();
  await Promise.allSettled([redis.quit(), db.end()]);
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

try {
  await seed();
  server.listen(port, host, () => console.error(`catalogue-service: listening on http://${host}:${port}`));
} catch (error) {
  console.error(`catalogue-service: cannot start: ${error.message}`);
  await Promise.allSettled([redis.quit(), db.end()]);
  process.exit(1);
}
