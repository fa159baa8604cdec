// CLI level: `cachequake validate <garbage>` exits 2 with one clear message naming the file and no stack trace.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/run-cli.ts';
import { anyText } from './arbitraries.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-fuzz-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixed: [string, string | Buffer][] = [
  ['binary.yaml', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x9c, 0x80, 0x0a, 0x3a])],
  ['braces.yaml', '{{{'],
  ['list.yaml', '- a\n- b\n'],
  ['tabs.yaml', 'name:\tx\n\tfaults: 1\n'],
  ['empty.yaml', ''],
  ['wrong-types.yaml', 'name: 7\nfaults: {kind: nope}\nexpect: sessions.lost === 0\n'],
];

async function validate(name: string, content: string | Buffer) {
  const file = join(dir, name);
  await writeFile(file, content);
  return runCli(['validate', file]);
}

describe('cachequake validate on garbage', () => {
  it.each(fixed)('%s: exit 2, the file named, no stack trace', async (name, content) => {
    const result = await validate(name, content);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(name);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('internal error');
  });

  it('random text: exit 2, no stack trace', async () => {
    const samples = fc.sample(anyText, { numRuns: 6, seed: 7 });
    for (const [i, text] of samples.entries()) {
      const result = await validate(`random-${i}.yaml`, text);
      expect({ text, code: result.code, stack: /\n\s+at /.test(result.stderr) }).toEqual({
        text,
        code: 2,
        stack: false,
      });
    }
  });

  // Found by the fuzzer: the yaml package throws a ReferenceError from toJS(); the loader maps it to CQ_YAML_SYNTAX.
  it('an alias without its anchor (`*a`) exits 2 without a stack trace', async () => {
    const result = await validate('alias.yaml', 'name: *a\n');
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  // Found by the fuzzer: the fill-memory cross-field check ran `in` on a `to` that did not parse.
  it('a fill-memory fault with an unparseable `to` exits 2 without a stack trace', async () => {
    const result = await validate('fill-to.yaml', 'name: x\nfaults:\n  - kind: fill-memory\n    to: "abc"\n');
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
