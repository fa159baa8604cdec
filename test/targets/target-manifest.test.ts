// Bundled manifests load; an invalid manifest gets file:line:column, the field path and the allowed values.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachequakeError } from '../../src/errors/index.ts';
import { parseYamlText } from '../../src/schema/index.ts';
import {
  bundledTargetsDir,
  defineTarget,
  listBundledTargets,
  renderTargetProcess,
  resolveTarget,
  targetFromObject,
  targetJsonSchemaText,
  targetManifestSchema,
  targetSchemaFile,
} from '../../src/targets/index.ts';

let dir: string;
let validText: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-manifest-'));
  validText = await readFile(join(bundledTargetsDir, 'session-service', 'target.yaml'), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `text` as a manifest and returns the error its loading throws. */
async function loadError(name: string, text: string): Promise<CachequakeError> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  const error = await resolveTarget(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CachequakeError);
  return error as CachequakeError;
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('bundled manifests', () => {
  it('lists and loads every bundled target with absolute paths', async () => {
    const names = await listBundledTargets();
    expect(names).toEqual(expect.arrayContaining(['session-service', 'naive-session-service']));
    for (const name of names) {
      const target = await resolveTarget(name);
      expect(target.name).toBe(name);
      expect(target.bundled).toBe(true);
      expect(target.cwd).toBe(join(bundledTargetsDir, name));
      expect(target.manifest.traffic.length).toBeGreaterThan(0);
    }
    expect((await resolveTarget('session-service')).needsPostgres).toBe(true);
    expect((await resolveTarget('naive-session-service')).needsPostgres).toBe(false);
  });

  it('renders the command and env from the started environment', async () => {
    const target = await resolveTarget('session-service');
    const options = renderTargetProcess(target, {
      redis: { url: 'redis://127.0.0.1:7001', host: '127.0.0.1', port: 7001 },
      postgres: { url: 'postgres://postgres@127.0.0.1:7002/postgres', host: '127.0.0.1', port: 7002 },
      port: 7003,
    });
    expect(options).toMatchObject({
      command: 'node',
      args: ['server.js'],
      port: 7003,
      healthPath: '/health',
      cwd: join(bundledTargetsDir, 'session-service'),
    });
    expect(options.env).toEqual({
      PORT: '7003',
      HOST: '127.0.0.1',
      REDIS_URL: 'redis://127.0.0.1:7001',
      // one server: no sentinels, and the only node is the Redis itself
      REDIS_TOPOLOGY: 'single',
      REDIS_SENTINELS: '',
      REDIS_SENTINEL_NAME: '',
      REDIS_CLUSTER_NODES: '127.0.0.1:7001',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:7002/postgres',
    });
  });

  it('renders a Sentinel endpoint into the topology variables', async () => {
    const target = await resolveTarget('session-service');
    const options = renderTargetProcess(target, {
      redis: {
        url: 'redis://127.0.0.1:7001',
        host: '127.0.0.1',
        port: 7001,
        topology: 'sentinel',
        sentinels: '127.0.0.1:7101,127.0.0.1:7102',
        sentinelName: 'cachequake',
      },
      postgres: { url: 'postgres://postgres@127.0.0.1:7002/postgres', host: '127.0.0.1', port: 7002 },
      port: 7003,
    });
    expect(options.env).toMatchObject({
      REDIS_TOPOLOGY: 'sentinel',
      REDIS_SENTINELS: '127.0.0.1:7101,127.0.0.1:7102',
      REDIS_SENTINEL_NAME: 'cachequake',
    });
  });

  it('refuses to render a postgres placeholder when no PostgreSQL was started', async () => {
    const target = await resolveTarget('session-service');
    expect(() =>
      renderTargetProcess(target, { redis: { url: 'redis://127.0.0.1:1', host: '127.0.0.1', port: 1 }, port: 2 }),
    ).toThrow(/postgres\.url.*no value/);
  });

  it('names the bundled targets for an unknown name', async () => {
    await expect(resolveTarget('sesion-service')).rejects.toThrow(
      /unknown target "sesion-service"; the bundled targets are .*"naive-session-service".*"session-service"/,
    );
  });

  it('accepts a folder holding a target.yaml', async () => {
    const target = await resolveTarget(join(bundledTargetsDir, 'naive-session-service'));
    expect(target.name).toBe('naive-session-service');
  });

  it('keeps schemas/target.schema.json in step with the zod schema', async () => {
    // Regenerate with: node src/targets/target-json-schema.ts
    expect(await readFile(targetSchemaFile, 'utf8')).toBe(targetJsonSchemaText());
    const schema = JSON.parse(targetJsonSchemaText()) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['command', 'env', 'health', 'session', 'traffic']),
    );
  });
});

describe('invalid manifests', () => {
  it('a wrong enum value: file:line:column, field path, allowed values, exit code 2', async () => {
    const text = validText.replace('method: POST\n    path: /login', 'method: FETCH\n    path: /login');
    const error = await loadError('wrong-enum', text);
    const line = lineOf(text, 'method: FETCH');
    expect(error.code).toBe('CQ_TARGET_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(
      `wrong-enum.yaml:${line}:13: session.login.method: received "FETCH" (string); did you mean "PATCH"?; allowed: "GET", "POST", "PUT", "PATCH", "DELETE" or "HEAD"`,
    );
  });

  it('an unknown key: points at the key and lists the allowed keys', async () => {
    const text = validText.replace('  check:\n', '  chek: {}\n  check:\n');
    const error = await loadError('unknown-key', text);
    expect(error.message).toContain(
      `unknown-key.yaml:${lineOf(text, 'chek:')}:3: session.chek: unknown key "chek"; did you mean "check"?; allowed keys: "login", "check", "logout" or "token"`,
    );
  });

  it('a missing field: points at its parent and says what is expected', async () => {
    const text = validText.replace('    path: /session\n', '');
    const error = await loadError('missing', text);
    expect(error.message).toContain(
      `missing.yaml:${lineOf(text, '  check:')}:3: session.check.path: missing required field (expected string)`,
    );
  });

  it('a wrong discriminator lists the allowed forms', async () => {
    const text = validText.replace('in: bearer', 'in: query');
    const error = await loadError('carrier', text);
    expect(error.message).toContain(
      `carrier.yaml:${lineOf(text, 'in: query')}:9: session.token.in: received "query" (string); allowed: "bearer", "cookie" or "header"`,
    );
  });

  it('an unknown placeholder lists the known ones', async () => {
    const text = validText.replace('{{redis.url}}', '{{redis.uri}}');
    const error = await loadError('placeholder', text);
    expect(error.message).toContain(
      `placeholder.yaml:${lineOf(text, 'redis.uri')}:14: env.REDIS_URL: received "{{redis.uri}}" (string); unknown placeholder {{redis.uri}} in env; allowed: "{{port}}", "{{host}}", "{{redis.url}}"`,
    );
    const loginText = validText.replace('"{{password}}"', '"{{pass}}"');
    const loginError = await loadError('login-placeholder', loginText);
    expect(loginError.message).toMatch(
      /session\.login\.body\.password: .*unknown placeholder \{\{pass\}\}.*allowed: "\{\{user\}\}", "\{\{password\}\}" or "\{\{rememberMe\}\}"/,
    );
  });

  it('several problems are all reported, each with its own position', async () => {
    const text = validText.replace('weight: 50', 'weight: -1').replace('path: /metrics', 'path: metrics');
    const error = await loadError('several', text);
    expect(error.message).toContain('has 2 problems');
    expect(error.message).toContain(
      `several.yaml:${lineOf(text, 'path: metrics')}:9: metrics.path: received "metrics" (string); must start with "/"`,
    );
    expect(error.message).toContain(`several.yaml:${lineOf(text, 'weight: -1')}:`);
    expect(error.message).toMatch(/traffic\[0\]\.weight: received -1 \(number\); too small/);
  });

  it('a YAML syntax error: file:line:column', async () => {
    const text = validText.replace('  check:\n    method: GET', '  check:\n    method: GET\n   oops: [unclosed');
    const error = await loadError('syntax', text);
    expect(error.code).toBe('CQ_YAML_SYNTAX');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(new RegExp(`syntax\\.yaml:${lineOf(text, 'oops')}:\\d+: `));
  });

  it('a missing file says so', async () => {
    await expect(resolveTarget(join(dir, 'nope.yaml'))).rejects.toMatchObject({
      code: 'CQ_FILE_NOT_FOUND',
      exitCode: 2,
    });
  });
});

describe('defineTarget', () => {
  const base = defineTarget({
    name: 'ts-target',
    command: 'python3',
    args: ['app.py', '--port', '{{port}}'],
    env: { REDIS: '{{redis.url}}' },
    health: { path: '/healthz' },
    session: {
      login: { path: '/login', body: { u: '{{user}}' }, token: { from: 'cookie', name: 'sid' } },
      check: { path: '/me' },
      token: { in: 'cookie', name: 'sid' },
    },
    traffic: [{ path: '/me', auth: true }],
  });

  it('returns its input, and targetFromObject fills the defaults', () => {
    const target = targetFromObject(base, '/srv/app');
    expect(target.cwd).toBe('/srv/app');
    expect(target.manifest.session?.login.method).toBe('POST');
    expect(target.manifest.traffic[0]).toMatchObject({ method: 'GET', weight: 1, auth: true });
  });

  it('reports a TypeScript object’s problems by field, without line numbers', () => {
    const bad = { ...base, session: { ...base.session, check: { path: '/me', method: 'FETCH' } } };
    expect(() => targetFromObject(bad as unknown as typeof base, '/srv/app')).toThrow(
      /session\.check\.method: received "FETCH" \(string\); did you mean "PATCH"\?; allowed: "GET"/,
    );
  });
});

describe('docs/targets.md', () => {
  it('shows the bundled manifest verbatim, and its other example is a valid manifest', async () => {
    const doc = await readFile(join(bundledTargetsDir, '..', 'docs', 'targets.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toBe(validText);
    const example = parseYamlText(blocks[1] ?? '', 'docs/targets.md', targetManifestSchema, 'target', {
      code: 'CQ_TARGET_INVALID',
    });
    expect(example.session?.login.token).toEqual({ from: 'cookie', name: 'sessionid' });
    expect(example.traffic).toHaveLength(4);
    // the cache-data section shows the bundled catalogue manifest verbatim
    const catalogue = await readFile(join(bundledTargetsDir, 'catalogue-service', 'target.yaml'), 'utf8');
    expect(blocks[2]).toBe(catalogue);
  });
});
