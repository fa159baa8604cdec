// junit.xml from real journals, validated by xmllint against the Jenkins/Surefire JUnit schema; the actual values in
// the failures.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reports/index.ts';
import { loadFixture } from './journal-fixtures.ts';

const xsd = fileURLToPath(new URL('../fixtures/junit-jenkins.xsd', import.meta.url));
const run = promisify(execFile);
const xmllint = await run('xmllint', ['--version']).then(
  () => true,
  () => false,
);
if (!xmllint)
  console.warn(
    'junit-report: SKIPPED the schema checks: xmllint is not installed (apt-get install libxml2-utils; scripts/setup.sh installs it)',
  );

async function validate(xml: string): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cq-junit-'));
  const file = join(dir, 'junit.xml');
  await writeFile(file, xml);
  return run('xmllint', ['--noout', '--schema', xsd, file]).then(
    (r) => ({ ok: true, output: r.stderr }),
    (e: { stderr: string }) => ({ ok: false, output: e.stderr }),
  );
}

describe('junit.xml', () => {
  it.skipIf(!xmllint)('validates against the JUnit schema for a failed, a passed and an errored run', async () => {
    for (const name of ['failed', 'passed', 'error'] as const) {
      const result = await validate(reporters.junit.render(loadFixture(name)));
      expect(result.output, name).toContain('validates');
      expect(result.ok, `${name}: ${result.output}`).toBe(true);
    }
  });

  it.skipIf(!xmllint)(
    'the schema check can fail: a testcase without its classname, or with two outcomes, is rejected',
    async () => {
      const xml = reporters.junit.render(loadFixture('failed'));
      expect((await validate(xml.replace(/ classname="[^"]*"/, ''))).ok).toBe(false);
      expect((await validate(xml.replace('</failure>', '</failure><error message="x"/>'))).ok).toBe(false);
    },
  );

  it('has one testsuite per experiment and one testcase per expectation, the actual value in the failure message', () => {
    const journal = loadFixture('failed');
    const xml = reporters.junit.render(journal);
    const experiment = journal.experiments[0];
    expect(xml.match(/<testsuite /g)).toHaveLength(journal.experiments.length);
    expect(xml).toMatch(/<testsuite name="incident-2am"[^>]* tests="\d+" failures="4" errors="0"/);
    for (const x of experiment?.expectations ?? []) {
      const name = x.expression.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      expect(xml).toContain(`<testcase name="${name}" classname="cachequake.incident-2am.expectations"`);
    }
    const lost = experiment?.sessions.lost;
    expect(lost).toBeGreaterThan(0);
    expect(xml).toContain(`<failure message="sessions.lost == 0: actual ${lost}" type="ExpectationFailed">`);
    expect(xml).toContain('<failure message="recovery.seconds &lt; 5: actual ∞"');
    expect(xml).toMatch(/<testcase name="redis.evicted_keys &gt; 0" [^>]*\/>/);
  });

  it('turns an experiment error into an error testcase with the code, message and hint', () => {
    const xml = reporters.junit.render(loadFixture('error'));
    expect(xml).toMatch(
      /<testcase name="experiment run" classname="cachequake.incident-2am.run"[^>]*>\s*<error message="CQ_REDIS_CONFIG_INVALID: redis-server rejected the directive 'maxmemory-policy bogus'/,
    );
    expect(xml).toContain('errors="1"');
    expect(xml).toContain('Fix the directive');
  });

  it.skipIf(!xmllint)(
    'an aborted experiment is an error testcase with the reason; its faults are not blamed',
    async () => {
      const journal = loadFixture('failed');
      const e = journal.experiments[0];
      if (!e) throw new Error('fixture without experiment');
      Object.assign(e, { status: 'aborted', abort: { reason: 'SIGINT', atMs: 5000 } });
      for (const f of e.faults) f.status = 'not-reverted';
      const xml = reporters.junit.render(journal);
      expect(xml).toMatch(/<testcase name="experiment run"[^>]*>\s*<error message="aborted: SIGINT"/);
      expect(xml).not.toMatch(/<testcase name="fault 1[^>]*>\s*<error/);
      expect((await validate(xml)).ok).toBe(true);
    },
  );
});
