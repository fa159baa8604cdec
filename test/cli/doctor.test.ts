// `cachequake doctor` and the Node version guard, run as a user would run them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/run-cli.ts';

describe('cachequake doctor', () => {
  it('finds redis-server and PostgreSQL with the versions they report themselves', async () => {
    const result = await runCli(['doctor', '--json']);
    expect(result.code).toBe(0);
    const findings = JSON.parse(result.stdout) as { name: string; found: boolean; version?: string }[];
    const redis = findings.find((f) => f.name === 'redis-server');
    const own = /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1];
    expect(redis).toMatchObject({ found: true, version: own });
    expect(findings.find((f) => f.name === 'postgresql')).toMatchObject({
      found: true,
      version: expect.stringMatching(/^15\./),
    });
    expect(findings.find((f) => f.name === 'node')).toMatchObject({ found: true, version: process.versions.node });
    expect(findings.map((f) => f.name)).toEqual(expect.arrayContaining(['docker engine', 'k6']));
  });

  it('fails with exit 3 and the install command when redis-server is missing', async () => {
    const result = await runCli(['doctor'], { env: { PATH: '/nonexistent' } });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/MISSING redis-server/);
    expect(result.stderr).toContain('apt-get install -y redis-server');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('Node version guard', () => {
  const systemNode = '/usr/bin/node';
  const systemMajor = existsSync(systemNode)
    ? Number(execFileSync(systemNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }))
    : 0;
  it.skipIf(!systemMajor || systemMajor >= 22)('refuses Node < 22 with a clear message and exit 3', async () => {
    const result = await runCli(['--version'], { node: systemNode });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cachequake needs Node.js 22.18 or newer');
    expect(result.stderr).toContain(`this is v${systemMajor}.`);
  });
});
