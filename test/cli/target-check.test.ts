// `cachequake target check` as a user runs it: the bundled target and a real session stack pass every call, broken
// manifests exit 2 naming the field to fix.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const sessionService = join(repo, 'targets/session-service');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The bundled session-service manifest, changed by `edit`, written to a temp folder (cwd still the bundled one). */
async function brokenManifest(edit: (yaml: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cq-target-check-'));
  dirs.push(dir);
  const original = await readFile(join(sessionService, 'target.yaml'), 'utf8');
  const changed = edit(original.replace(/^cwd: \.$/m, `cwd: ${sessionService}`));
  expect(changed).not.toBe(original);
  const file = join(dir, 'target.yaml');
  await writeFile(file, changed);
  return file;
}

describe('cachequake target check', () => {
  it('passes every call of the bundled session-service and leaves nothing running', async () => {
    const result = await runCli(['target', 'check', 'session-service']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok\s+start\s+GET \/health\s+200/m);
    expect(result.stdout).toMatch(/^ok\s+log in\s+POST \/login\s+200/m);
    expect(result.stdout).toMatch(/^ok\s+traffic feed\s+GET \/feed\s+200/m);
    expect(result.stdout).toMatch(/^ok\s+check after logout\s+GET \/session\s+401/m);
    expect(result.stdout).toContain('target session-service: every call worked');
    expect(result.stderr).toContain('starting redis-server, PostgreSQL and the fault proxy');
  });

  const expressReady = existsSync(
    join(repo, 'examples/targets/express-session/node_modules/connect-redis/package.json'),
  );
  it.skipIf(!expressReady && !process.env.CI)(
    'passes the express-session example (form login, cookie, 302)',
    async () => {
      const result = await runCli(['target', 'check', 'examples/targets/express-session/target.yaml'], { cwd: repo });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^ok\s+log in\s+POST \/login\s+302/m);
      expect(result.stdout).toMatch(/^ok\s+check the session\s+GET \/me\s+200/m);
      expect(result.stdout).toContain('target express-session: every call worked');
      // no PostgreSQL placeholder in that manifest: none is started, and the progress says so
      expect(result.stderr).toContain('starting redis-server and the fault proxy');
    },
  );

  it('exits 2 naming session.login.path when the login path answers 404', async () => {
    const file = await brokenManifest((yaml) => yaml.replace('path: /login', 'path: /signin'));
    const result = await runCli(['target', 'check', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^FAIL\s+log in\s+POST \/signin\s+404\s+\d+\s+session\.login\.path/m);
    expect(result.stdout).toMatch(/^-\s+check the session\s+.*skipped: no token/m);
    // a traffic entry without auth still runs
    expect(result.stdout).toMatch(/^ok\s+traffic home\s+GET \/\s+200/m);
    expect(result.stderr).toMatch(
      /CQ_TARGET_CHECK_FAILED: session\.login\.path: POST \/signin got 404; .*skipped after it/,
    );
    expect(result.stderr).not.toContain('internal error');
  });

  it('exits 2 naming session.token when the service does not find the token where the manifest sends it', async () => {
    const file = await brokenManifest((yaml) => yaml.replace('in: bearer', 'in: header\n    name: x-session'));
    const result = await runCli(['target', 'check', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^FAIL\s+check the session\s+GET \/session\s+401\s+\d+\s+session\.token/m);
    expect(result.stderr).toContain('CQ_TARGET_CHECK_FAILED: session.token');
  });

  it('exits 2 naming command when the service exits at start', async () => {
    const file = await brokenManifest((yaml) => yaml.replace('args: [server.js]', 'args: [no-such-server.js]'));
    const result = await runCli(['target', 'check', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^FAIL\s+start\s+GET \/health\s+\d+\s+command/m);
    expect(result.stderr).toContain('no-such-server.js');
  });
});

describe('cachequake target check on a cache target (no session)', () => {
  const catalogue = join(repo, 'targets/catalogue-service');

  it('reads the cache path for the first and last id, logs nobody in, and passes', async () => {
    const result = await runCli(['target', 'check', 'catalogue-service']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok\s+cache read id 1\s+GET \/products\/1\s+200\s+\d+\s+cache\.read\.path\s+same/m);
    expect(result.stdout).toMatch(/^ok\s+cache read id 300\s+GET \/products\/300\s+200/m);
    expect(result.stdout).toMatch(/^ok\s+traffic product\s+GET \/products\/1\s+200/m);
    expect(result.stdout).not.toMatch(/log in|check the session/);
    expect(result.stdout).toContain('target catalogue-service: every call worked');
  });

  it('exits 2 naming cache.read.path when ids beyond the catalogue answer 404', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cq-target-check-'));
    dirs.push(dir);
    const original = await readFile(join(catalogue, 'target.yaml'), 'utf8');
    const file = join(dir, 'target.yaml');
    await writeFile(file, original.replace(/^cwd: \.$/m, `cwd: ${catalogue}`).replace('to: 300', 'to: 900'));
    const result = await runCli(['target', 'check', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^ok\s+cache read id 1\s/m);
    expect(result.stdout).toMatch(/^FAIL\s+cache read id 900\s+GET \/products\/900\s+404\s+\d+\s+cache\.read\.path/m);
    expect(result.stderr).toContain('CQ_TARGET_CHECK_FAILED: cache.read.path: GET /products/900 got 404');
  });
});
