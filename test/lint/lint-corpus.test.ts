// Lint on the redis.conf corpus: exact findings per file, exit codes, and the text, JSON and SARIF output of the real
// CLI.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CachequakeError } from '../../src/errors/index.ts';
import { lintRedisConf, lintRules } from '../../src/lint/index.ts';
import { effectiveConfig } from '../../src/lint/effective-config.ts';
import { loadRedisConf } from '../../src/redis-conf/index.ts';
import { runCli } from '../fixtures/run-cli.ts';
import { corpus, corpusDir, machineMemoryBytes } from './corpus.ts';

describe('lint corpus', () => {
  it.each(corpus.filter((e) => e.findings))('$file gives exactly its expected findings', ({ file, findings }) => {
    const report = lintRedisConf(join(corpusDir, file), { machineMemoryBytes, cwd: corpusDir });
    expect(report.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(findings);
    for (const f of report.findings) expect(f.severity).toBe(lintRules.find((r) => r.id === f.ruleId)?.severity);
  });

  it.each(corpus.filter((e) => e.refusedCode))(
    '$file: the line redis-server refuses is an error finding with $refusedCode, file and line',
    ({ file, refusedCode }) => {
      const report = lintRedisConf(join(corpusDir, file), { machineMemoryBytes, cwd: corpusDir });
      const refused = report.findings.filter((f) => f.message.includes(`(${refusedCode as string})`));
      expect(refused).toHaveLength(1);
      expect(refused[0]?.severity).toBe('error');
      expect(refused[0]?.text).toBeDefined();
      expect(report.counts.error).toBeGreaterThan(0);
      // the strict loader (verify-config, the runtime) still refuses the file with that code, exit 2
      let error: unknown;
      try {
        effectiveConfig(loadRedisConf(join(corpusDir, file), { cwd: corpusDir }));
      } catch (caught) {
        error = caught;
      }
      expect((error as CachequakeError).code).toBe(refusedCode);
      expect((error as CachequakeError).exitCode).toBe(2);
      expect((error as CachequakeError).message).toMatch(/\.conf:\d+/);
    },
  );

  it('reports a relative include found only next to the file when redis-server would start elsewhere', () => {
    const report = lintRedisConf(join(corpusDir, 'with-include.conf'), { machineMemoryBytes, cwd: '/' });
    expect(report.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual([
      'volatile-policy@5',
      'include-beside-file@2',
      'include-beside-file@3',
    ]);
  });

  it('a bad value in an included file names the include line too', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'cq-lint-inc-'));
    try {
      await writeFile(join(dir, 'main.conf'), `include ${join(corpusDir, 'bad-unit.conf')}\n`);
      const refused = lintRedisConf(join(dir, 'main.conf')).findings.filter((f) => f.ruleId === 'unloadable-line');
      expect(refused.map((f) => f.message)).toEqual([
        expect.stringMatching(
          /^maxmemory: "20gib" is not a memory value in `maxmemory 20gib` \(included from .*main\.conf:1\)/,
        ),
      ]);
      expect(refused[0]?.file).toBe(join(corpusDir, 'bad-unit.conf'));
      expect(refused[0]?.line).toBe(2);
      expect(() => effectiveConfig(loadRedisConf(join(dir, 'main.conf')))).toThrow(/\(included from .*main\.conf:1\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('every rule has an id, a title, an explanation and a fix, and ids are unique', () => {
    expect(new Set(lintRules.map((r) => r.id)).size).toBe(lintRules.length);
    for (const r of lintRules) {
      expect(r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.explanation.length).toBeGreaterThan(80);
      expect(r.fix.length).toBeGreaterThan(20);
    }
  });
});

describe('cachequake lint (CLI)', () => {
  const lint = (file: string, ...args: string[]) =>
    runCli(['lint', file, '--machine-memory', '32gb', ...args], { cwd: corpusDir });

  it('text: exit 1 on an error finding, with file:line, the line and the fix', async () => {
    const result = await lint('incident.conf');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'incident.conf:4: error [allkeys-policy] maxmemory-policy allkeys-lru evicts any key',
    );
    expect(result.stdout).toContain(
      '    maxmemory-policy allkeys-lru\n    fix: Keep sessions on a Redis with `maxmemory-policy noeviction`',
    );
    expect(result.stdout).toMatch(/incident\.conf: 1 error\(s\), 2 warning\(s\), 0 info\n$/);
  });

  it('exit 0 when only warnings and info are found', async () => {
    const result = await lint('cache-volatile.conf');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 error(s), 2 warning(s)');
  });

  it('json: findings, counts and the metadata of the rules that fired', async () => {
    const result = await lint('exposed.conf', '--format', 'json');
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stdout) as {
      counts: Record<string, number>;
      findings: { ruleId: string; line: number; file: string }[];
      rules: { id: string; explanation: string }[];
    };
    expect(body.counts).toEqual({ error: 3, warning: 1, info: 0 });
    expect(body.findings.map((f) => f.ruleId)).toEqual([
      'allkeys-policy',
      'exposed-without-auth',
      'debug-command-enabled',
      'dangerous-commands-open',
    ]);
    expect(body.findings[0]?.file).toBe(join(corpusDir, 'exposed.conf'));
    expect(body.rules.map((r) => r.id).sort()).toEqual([
      'allkeys-policy',
      'dangerous-commands-open',
      'debug-command-enabled',
      'exposed-without-auth',
    ]);
  });

  it('sarif: 2.1.0 with rule metadata, levels and physical locations relative to the working directory', async () => {
    const result = await lint('with-include.conf', '--format', 'sarif', '--cwd', '/');
    expect(result.code).toBe(0);
    const sarif = JSON.parse(result.stdout) as SarifLog;
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    if (!run) throw new Error('no run');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(lintRules.map((r) => r.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
    expect(
      run.results.map((r) => [
        r.ruleId,
        r.level,
        r.locations[0]?.physicalLocation.artifactLocation.uri,
        r.locations[0]?.physicalLocation.region.startLine,
      ]),
    ).toEqual([
      ['volatile-policy', 'warning', 'with-include.conf', 5],
      ['include-beside-file', 'note', 'with-include.conf', 2],
      ['include-beside-file', 'note', 'with-include.conf', 3],
    ]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
  });

  it('exit 1 with file:line for a line Redis would refuse, and the rest of the file still judged', async () => {
    const result = await lint('bad-unterminated-quote.conf');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'bad-unterminated-quote.conf:3: error [unloadable-line] unterminated "double quote" in `requirepass "secret` (CQ_REDIS_CONF_SYNTAX)',
    );
    expect(result.stdout).toContain('[noeviction-policy]');
    expect(result.stderr).toBe('');
  });

  it('a misspelt directive: exit 1 naming the line and suggesting the right name (redis-server refuses it too)', async () => {
    const result = await lint('typo-directive.conf');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'typo-directive.conf:3: error [unknown-directive] `maxmemory-polcy` is not a redis-server 7.0 directive: redis-server refuses to start with this file — did you mean `maxmemory-policy`?',
    );
    expect(result.stdout).toContain('fix: Write `maxmemory-policy noeviction` (or remove the line).');
  });

  it('reports every refused line at once, not the first', async () => {
    const result = await lint('many-problems.conf');
    expect(result.code).toBe(1);
    for (const line of [3, 4, 5, 6]) expect(result.stdout).toMatch(new RegExp(`many-problems\\.conf:${line}: error `));
    expect(result.stdout).toContain('many-problems.conf: 4 error(s)');
  });

  it('exit 2 and a clear message for a binary or JSON file instead of a config, no stack trace', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'cq-lint-notconf-'));
    try {
      await writeFile(join(dir, 'dump.rdb'), Buffer.from([0x52, 0x45, 0x44, 0x49, 0x53, 0x00, 0xff, 0x22, 0x0a, 0x01]));
      await writeFile(join(dir, 'redis.json'), '{ "maxmemory": "1gb" }\n');
      const binary = await runCli(['lint', 'dump.rdb'], { cwd: dir });
      expect(binary.code).toBe(2);
      expect(binary.stderr).toContain('CQ_REDIS_CONF_NOT_A_CONFIG: dump.rdb is not a redis.conf: it holds NUL bytes');
      expect(binary.stderr).not.toMatch(/Close the quote|\n\s+at /);
      const json = await runCli(['lint', 'redis.json'], { cwd: dir });
      expect(json.code).toBe(2);
      expect(json.stderr).toContain('redis.json is not a redis.conf: it is JSON');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exit 2 for a bad --format or --machine-memory', async () => {
    expect((await lint('incident.conf', '--format', 'xml')).stderr).toContain(
      'Expected --format to be one of text, json, sarif, got "xml"',
    );
    const bad = await runCli(['lint', 'incident.conf', '--machine-memory', '32gib'], { cwd: corpusDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Expected --machine-memory to be a memory size, got "32gib"');
  });
});

interface SarifLog {
  version: string;
  runs: {
    tool: {
      driver: {
        rules: {
          id: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          defaultConfiguration: { level: string };
        }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}
