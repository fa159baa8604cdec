// cachequake adopted as a dependency, the way another repository gets it: npm pack, npm install of the tarball into a
// fresh project, then the CLI and the nightly workflow example's steps (doctor, vitest with cachequake/vitest, run,
// merge) on the pinned Node 24, and the CLI again on a Node 22 installed from the npm registry's `node` package.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isAlive, waitGone } from '../fixtures/process-alive.ts';
import { docSteps } from './doc-steps.ts';
import { describeResult, runCommand, type CommandResult } from './run-command.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./project/', import.meta.url));
const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
/** The directory of the pinned Node 24 (node_modules/.bin/node), alone: nothing else of this repository on PATH. */
const pinnedNodeBin = dirname(realpathSync(join(repoRoot, 'node_modules', '.bin', 'node')));
const pinnedNodeVersion = process.versions.node;

// Install scripts as this repository allows them: the node package's download yes, ssh2's optional native build no.
const allowScripts = { node: true, protobufjs: true, ssh2: false, 'cpu-features': false };

interface PackedFile {
  path: string;
}
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: PackedFile[];
}

/** The user's YAML experiment, inside the project. */
const userExperiment = 'chaos/experiments/flushall.yaml';
const workflowFile = join(repoRoot, 'examples/github-actions/chaos-nightly.yml');
const adoptDoc = join(repoRoot, 'docs/adopt.md');
/** The vitest the adopting projects install (`npm i -D vitest` in docs/adopt.md is pinned to it here). */
const vitestSpec = 'vitest@5.1.1';

let base = '';
let app = '';
let packed: PackResult;
let tarball = '';

function ok(what: string, result: CommandResult): CommandResult {
  expect(result.code, describeResult(what, result)).toBe(0);
  return result;
}

function addAllowScripts(projectDir: string): void {
  const file = join(projectDir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify({ ...manifest, allowScripts }, null, 2)}\n`);
}

/** The one journal.json under a --reports folder (one run). */
function readJournal(reportsDir: string) {
  const runs = readdirSync(reportsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  expect(runs).toHaveLength(1);
  return JSON.parse(readFileSync(join(reportsDir, runs[0]?.name ?? '', 'journal.json'), 'utf8')) as {
    status: string;
    tool: { name: string; version: string };
    experiments: { name: string; status: string; environment: { versions: { node: string } } }[];
  };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Processes other than this one whose working directory or command line lies under `dir`. */
function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cwd.startsWith(dir) || cmdline.includes(dir)) found.push(`${pid} ${cmdline.trim()}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'cachequake-adopt-'));
  app = join(base, 'app');
  mkdirSync(join(base, 'pack'));
  mkdirSync(app);

  // npm pack runs prepack, which compiles src/ to dist/
  const pack = ok(
    'npm pack',
    await runCommand('npm', ['pack', '--json', '--pack-destination', join(base, 'pack')], {
      cwd: repoRoot,
      nodeBin: pinnedNodeBin,
      timeoutMs: 120_000,
    }),
  );
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as PackResult[])[0] as PackResult;
  tarball = join(base, 'pack', packed.filename);

  const user = { cwd: app, nodeBin: pinnedNodeBin, timeoutMs: 180_000 };
  ok('npm init -y', await runCommand('npm', ['init', '-y'], user));
  addAllowScripts(app);
  const install = ok(
    'npm install <tarball>',
    await runCommand('npm', ['install', '--no-audit', '--no-fund', tarball], user),
  );
  console.info(
    `adoption: ${packed.filename} ${(packed.size / 1024).toFixed(0)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB ` +
      `unpacked, ${packed.entryCount} files; pack ${pack.durationMs} ms, install ${install.durationMs} ms`,
  );
  // the layout examples/github-actions/chaos-nightly.yml expects: vitest files in chaos/, experiments below it
  mkdirSync(join(app, 'chaos', 'experiments'), { recursive: true });
  copyFileSync(join(fixtures, 'flushall.yaml'), join(app, userExperiment));
  copyFileSync(
    join(repoRoot, 'examples/nightly/sessions-survive.test.ts'),
    join(app, 'chaos/sessions-survive.test.ts'),
  );
  for (const file of ['flushall.experiment.mts', 'killed-harness.mjs'])
    copyFileSync(join(fixtures, file), join(app, file));
}, 300_000);

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true, maxRetries: 5 });
});

describe('cachequake installed from its tarball into a fresh project', () => {
  it('the tarball holds the compiled package, its schemas, targets and experiments, and no sources or tests', async () => {
    const paths = packed.files.map((f) => f.path);
    for (const expected of [
      'bin/cachequake.js',
      'dist/cli/main.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/vitest/index.js',
      'dist/vitest/index.d.ts',
      'dist/vitest/assertion-types.d.ts',
      'dist/runtimes/local/watchdog-process.js',
      'dist/reports/html/timeline-charts.client.js',
      'schemas/experiment.schema.json',
      'schemas/target.schema.json',
      'schemas/environment.schema.json',
      'targets/session-service/target.yaml',
      'targets/session-service/server.js',
      'targets/naive-session-service/target.yaml',
      'targets/catalogue-service/target.yaml',
      'targets/catalogue-service/server.js',
      'experiments/flushall.yaml',
      'experiments/catalogue-redis-outage.yaml',
      'docs/adopt.md',
    ]) {
      expect(paths).toContain(expected);
    }
    const strays = paths.filter(
      (p) =>
        /^(src|test|reports|bench|scripts|examples|node_modules)\//.test(p) ||
        /\.test\.|\.tgz$/.test(p) ||
        (p.endsWith('.ts') && !p.endsWith('.d.ts')),
    );
    expect(strays).toEqual([]);

    // publishing is blocked by nothing but the missing login of a dry run
    const publish = ok(
      'npm publish --dry-run',
      await runCommand('npm', ['publish', '--dry-run', '--ignore-scripts', tarball], {
        cwd: base,
        nodeBin: pinnedNodeBin,
        timeoutMs: 60_000,
      }),
    );
    const warnings = publish.stderr
      .split('\n')
      .filter((line) => /npm (warn|error)/i.test(line) && !/requires you to be logged in/.test(line));
    expect(warnings).toEqual([]);
  }, 90_000);

  it(`npx cachequake --version and validate on the pinned Node ${pinnedNodeVersion}`, async () => {
    const user = { cwd: app, nodeBin: pinnedNodeBin, timeoutMs: 60_000 };
    const version = ok('npx cachequake --version', await runCommand('npx', ['cachequake', '--version'], user));
    expect(version.stdout.trim()).toBe(packageVersion);

    // the $schema line of the user's experiment names the installed package's schema, relative to the file
    const schemaLine = /\$schema=(\S+)/.exec(readFileSync(join(app, userExperiment), 'utf8'));
    expect(schemaLine?.[1]).toMatch(/node_modules\/cachequake\/schemas\/experiment\.schema\.json$/);
    expect(existsSync(join(app, dirname(userExperiment), schemaLine?.[1] ?? ''))).toBe(true);

    const validate = ok(
      'npx cachequake validate',
      await runCommand('npx', ['cachequake', 'validate', userExperiment, 'flushall.experiment.mts'], user),
    );
    expect(validate.stdout).toContain('adopt-flushall → session-service');
    expect(validate.stdout).toContain('adopt-flushall-ts → session-service');
  }, 90_000);

  it("the package's watchdog reaps Redis, PostgreSQL and the target when the harness is SIGKILLed", async () => {
    const harness = spawn(join(pinnedNodeBin, 'node'), ['killed-harness.mjs'], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    harness.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let started: { pids: number[]; dirs: string[] } = { pids: [], dirs: [] };
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        harness.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] as string);
        });
        harness.on('exit', (code) => reject(new Error(`killed-harness.mjs exited early with ${code}:\n${stderr}`)));
      });
      started = JSON.parse(line) as typeof started;
      expect(started.pids.every(isAlive)).toBe(true);
    } finally {
      harness.kill('SIGKILL');
    }
    const left = await waitGone(started.pids, 5000);
    // started by this test: stopped here if the watchdog did not, and the assertion below still fails
    for (const pid of left) killGroup(pid);
    expect(left).toEqual([]);
    // the watchdog removes the temp dirs after it has killed the processes
    const deadline = Date.now() + 5000;
    while (started.dirs.some(existsSync) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(started.dirs.filter((dir) => existsSync(dir))).toEqual([]);
  }, 60_000);

  it("the mistakes a user's project can make are explained, not crashed on", async () => {
    const user = { cwd: app, nodeBin: pinnedNodeBin, timeoutMs: 60_000 };
    // npm init -y writes "type": "commonjs": a *.experiment.ts with `import` is then CommonJS to Node
    copyFileSync(join(fixtures, 'flushall.experiment.mts'), join(app, 'commonjs.experiment.ts'));
    const commonJs = await runCommand('npx', ['cachequake', 'validate', 'commonjs.experiment.ts'], user);
    expect(commonJs.code, describeResult('validate commonjs.experiment.ts', commonJs)).toBe(2);
    expect(commonJs.stderr).toContain('CQ_EXPERIMENT_FILE_TYPE');
    expect(commonJs.stderr).toContain('*.experiment.mts');
    expect(commonJs.stderr).not.toContain('internal error');

    // compiled, cachequake itself needs no type stripping; a TypeScript experiment does
    const bin = join(app, 'node_modules/cachequake/bin/cachequake.js');
    const stripping = await runCommand(
      'node',
      ['--no-experimental-strip-types', bin, 'validate', userExperiment, 'flushall.experiment.mts'],
      user,
    );
    expect(stripping.code, describeResult('validate without type stripping', stripping)).toBe(3);
    expect(stripping.stderr).toContain('CQ_TYPESCRIPT_UNSUPPORTED');
    expect(stripping.stderr).toContain('22.18');

    const systemNode = '/usr/bin/node';
    const systemVersion = existsSync(systemNode)
      ? (await runCommand(systemNode, ['-p', 'process.versions.node'], user)).stdout.trim()
      : '';
    if (systemVersion && Number(systemVersion.split('.')[0]) < 22) {
      const old = await runCommand(systemNode, [bin, '--version'], user);
      expect(old.code, describeResult(`cachequake on Node ${systemVersion}`, old)).toBe(3);
      expect(old.stderr).toContain(`cachequake needs Node.js 22 or newer; this is v${systemVersion}.`);
    }
  }, 90_000);

  it("the nightly workflow example's npx steps pass: doctor, the vitest suite with cachequake/vitest, the experiments, the merge", async () => {
    const user = { cwd: app, nodeBin: pinnedNodeBin, timeoutMs: 180_000 };
    ok(
      'npm install -D vitest@5.1.1',
      await runCommand('npm', ['install', '--no-audit', '--no-fund', '--save-dev', 'vitest@5.1.1'], user),
    );
    const workflow = parse(readFileSync(workflowFile, 'utf8')) as {
      jobs: Record<string, { steps: { name?: string; run?: string }[] }>;
    };
    const steps = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .map((step) => step.run?.trim() ?? '')
      .filter((run) => run.startsWith('npx '));
    expect(steps.map((run) => run.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'npx cachequake doctor',
      'npx vitest run',
      'npx cachequake doctor',
      'npx cachequake run',
      'npx cachequake merge',
    ]);
    for (const run of steps) {
      const [command = '', ...args] = run.split(/\s+/);
      // the merge job's download-artifact step, here: the one (unsharded) run directory as shard artifact 1
      if (run.startsWith('npx cachequake merge')) {
        const [runDir] = readdirSync(join(app, 'reports'), { withFileTypes: true }).filter((e) => e.isDirectory());
        cpSync(join(app, 'reports', runDir?.name ?? ''), join(app, 'shards', 'chaos-shard-1', runDir?.name ?? ''), {
          recursive: true,
        });
      }
      ok(run, await runCommand(command, args, user));
    }

    // vitest: both tests of examples/nightly passed, as the JUnit file says
    const junit = readFileSync(join(app, 'reports/junit-nightly.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites [^>]*tests="2" failures="0" errors="0"/);
    // cachequake run: the user's experiment passed, on this Node, recorded with the package's version
    const journal = readJournal(join(app, 'reports'));
    expect(journal.tool).toEqual({ name: 'cachequake', version: packageVersion });
    expect(journal.experiments.map((e) => [e.name, e.status])).toEqual([['adopt-flushall', 'passed']]);
    expect(journal.experiments[0]?.environment.versions.node).toBe(pinnedNodeVersion);
    // cachequake merge: the merged journal holds the same experiment and verdict, with its reports beside it
    const merged = JSON.parse(readFileSync(join(app, 'merged-reports', 'journal.json'), 'utf8')) as typeof journal;
    expect(merged.experiments.map((e) => [e.name, e.status])).toEqual([['adopt-flushall', 'passed']]);
    expect(existsSync(join(app, 'merged-reports', 'junit.xml'))).toBe(true);

    // the declarations carry the matchers onto vitest's Assertion (checked with this repository's TypeScript)
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2024',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['chaos'],
      }),
    );
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    ok('tsc on the adopting project', await runCommand('node', [tsc, '-p', app], user));
  }, 240_000);

  it('npx cachequake --version, validate and run on Node 22 from the npm registry', async (context) => {
    const node22 = join(base, 'node22');
    mkdirSync(node22);
    writeFileSync(join(node22, 'package.json'), JSON.stringify({ name: 'node22', private: true, allowScripts }));
    const install = await runCommand('npm', ['install', '--no-audit', '--no-fund', 'node@22'], {
      cwd: node22,
      nodeBin: pinnedNodeBin,
      timeoutMs: 180_000,
    });
    const nodeBin = join(node22, 'node_modules', '.bin');
    const probe =
      install.code === 0
        ? await runCommand('node', ['--version'], { cwd: app, nodeBin, timeoutMs: 30_000 })
        : undefined;
    if (!probe || probe.code !== 0 || !probe.stdout.startsWith('v22.')) {
      const reason = probe
        ? `node_modules/.bin/node of the node@22 package printed ${JSON.stringify(probe.stdout.trim())} (exit ${probe.code}): ${probe.stderr.trim()}`
        : `npm install node@22 failed: ${describeResult('npm install node@22', install)}`;
      console.warn(`adoption on Node 22 skipped: ${reason}`);
      context.skip(reason);
      return;
    }
    const node22Version = probe.stdout.trim().slice(1);
    console.info(`adoption: Node ${node22Version} from the npm registry installed in ${install.durationMs} ms`);

    const user = { cwd: app, nodeBin, timeoutMs: 90_000 };
    const version = ok(
      'npx cachequake --version (Node 22)',
      await runCommand('npx', ['cachequake', '--version'], user),
    );
    expect(version.stdout.trim()).toBe(packageVersion);
    ok(
      'npx cachequake validate (Node 22)',
      await runCommand('npx', ['cachequake', 'validate', userExperiment, 'flushall.experiment.mts'], user),
    );
    ok(
      'npx cachequake run (Node 22)',
      await runCommand('npx', ['cachequake', 'run', userExperiment, '--reports', 'reports-22'], user),
    );
    const journal = readJournal(join(app, 'reports-22'));
    expect(journal.experiments.map((e) => [e.name, e.status])).toEqual([['adopt-flushall', 'passed']]);
    expect(journal.experiments[0]?.environment.versions.node).toBe(node22Version);
  }, 240_000);

  it('every command and file of docs/adopt.md, in order, in another fresh project', async () => {
    const project = join(base, 'adopt-doc');
    mkdirSync(project);
    const user = { cwd: project, nodeBin: pinnedNodeBin, timeoutMs: 300_000 };
    ok('npm init -y', await runCommand('npm', ['init', '-y'], user));
    addAllowScripts(project);
    const steps = docSteps(readFileSync(adoptDoc, 'utf8'));
    const commands = steps.flatMap((s) => (s.kind === 'command' ? [s.line] : []));
    expect(commands.slice(0, 3)).toEqual(['npm i -D cachequake', 'npx cachequake doctor', 'npx cachequake init']);
    const timings: string[] = [];
    for (const step of steps) {
      if (step.kind === 'file') {
        mkdirSync(dirname(join(project, step.path)), { recursive: true });
        writeFileSync(join(project, step.path), step.text);
        continue;
      }
      // the package comes from the tarball packed above, vitest at the version this repository tests with
      const [command = '', ...args] = step.argv.map((arg) =>
        arg === 'cachequake' && step.argv[0] === 'npm'
          ? tarball
          : arg === 'vitest' && step.argv[0] === 'npm'
            ? vitestSpec
            : arg,
      );
      const result = ok(step.line, await runCommand(command, args, user));
      timings.push(`${step.line.split(' ').slice(0, 3).join(' ')} ${(result.durationMs / 1000).toFixed(1)}s`);
      if (step.line === 'npx cachequake init') expect(result.stdout).toContain('wrote');
      if (step.line.startsWith('npx cachequake target check'))
        expect(result.stdout).toContain('target my-service: every call worked');
    }
    console.info(`adoption: docs/adopt.md — ${timings.join(', ')}`);

    // the first run passed, with the ledger logged in through the user's manifest
    const journal = readJournal(join(project, 'reports'));
    expect(journal.experiments.map((e) => [e.name, e.status])).toEqual([['flushall', 'passed']]);
    // vitest ran both tests of the walkthrough's nightly file against the user's target.yaml, both passed
    const junit = readFileSync(join(project, 'reports/junit-nightly.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites [^>]*tests="2" failures="0" errors="0"/);
    // the workflow's npx steps are commands the walkthrough ran
    const workflow = parse(readFileSync(join(project, '.github/workflows/chaos-nightly.yml'), 'utf8')) as {
      jobs: Record<string, { steps: { run?: string }[] }>;
    };
    const npxSteps = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .map((step) => step.run?.trim() ?? '')
      .filter((run) => run.startsWith('npx '));
    expect(npxSteps.length).toBeGreaterThan(0);
    for (const run of npxSteps) expect(commands).toContain(run);
  }, 600_000);

  it('leaves no process behind in the temporary project', async () => {
    let left = processesUnder(base);
    for (let i = 0; left.length > 0 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = processesUnder(base);
    }
    expect(left).toEqual([]);
  });
});
