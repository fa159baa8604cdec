// What `cachequake doctor` looks for: each tool, whether it is required, what it enables, and how to install it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath, postgresBinDir } from '../runtimes/local/binaries.ts';

const run = promisify(execFile);

export interface CheckResult {
  name: string;
  found: boolean;
  version?: string;
  path?: string;
  required: boolean;
  enables: string;
  /** Debian package that provides it, for --fix. */
  debianPackage?: string;
  install: string;
  detail?: string;
}

interface Check {
  name: string;
  required: boolean;
  enables: string;
  debianPackage?: string;
  install: string;
  probe: () => Promise<Pick<CheckResult, 'found' | 'version' | 'path' | 'detail'>>;
}

async function versionOf(
  binary: string | undefined,
  args: string[],
  pattern: RegExp,
): Promise<Pick<CheckResult, 'found' | 'version' | 'path' | 'detail'>> {
  if (!binary) return { found: false };
  try {
    const { stdout, stderr } = await run(binary, args, { timeout: 5000 });
    const match = pattern.exec(`${stdout}\n${stderr}`);
    return { found: true, path: binary, version: match?.[1] ?? (stdout.trim() || 'unknown') };
  } catch (error) {
    return { found: false, path: binary, detail: (error as Error).message.split('\n')[0] };
  }
}

const checks: Check[] = [
  {
    name: 'node',
    required: true,
    enables: 'cachequake itself (needs >= 22; the repository pins 24)',
    install: 'npm ci in this repository (brings the pinned Node 24), or install Node 24 LTS',
    probe: async () => {
      const major = Number(process.versions.node.split('.')[0]);
      return {
        found: major >= 22,
        version: process.versions.node,
        path: process.execPath,
        detail: major >= 22 ? undefined : 'too old',
      };
    },
  },
  {
    name: 'redis-server',
    required: true,
    enables: 'the local runtime (every experiment)',
    debianPackage: 'redis-server',
    install: 'Debian/Ubuntu: apt-get install -y redis-server · macOS: brew install redis',
    probe: () => versionOf(findOnPath('redis-server'), ['--version'], /v=(\S+)/),
  },
  {
    name: 'postgresql',
    required: true,
    enables: 'the fallback database of the bundled targets (postgres: true in experiments)',
    debianPackage: 'postgresql-15',
    install: 'Debian/Ubuntu: apt-get install -y postgresql-15 · macOS: brew install postgresql@15',
    probe: () => {
      const dir = postgresBinDir();
      return versionOf(dir ? join(dir, 'postgres') : undefined, ['--version'], /\(PostgreSQL\)\s+(\S+)/);
    },
  },
  {
    name: 'redis-benchmark',
    required: false,
    enables: 'the fault-proxy benchmark (npm run bench)',
    debianPackage: 'redis-tools',
    install: 'Debian/Ubuntu: apt-get install -y redis-tools · macOS: brew install redis',
    probe: () => versionOf(findOnPath('redis-benchmark'), ['--version'], /redis-benchmark\s+(\S+)/),
  },
  {
    name: 'docker engine',
    required: false,
    enables: 'the Docker runtime (--runtime docker) and docker-compose.yml',
    install: 'https://docs.docker.com/engine/install/ (the client alone is not enough: the daemon must run)',
    probe: () => versionOf(findOnPath('docker'), ['info', '--format', '{{.ServerVersion}}'], /^(\S+)/),
  },
  {
    name: 'k6',
    required: false,
    enables: 'the k6 load driver (load.driver: k6)',
    install: 'https://grafana.com/docs/k6/latest/set-up/install-k6/',
    probe: () => versionOf(findOnPath('k6'), ['version'], /k6 v?(\S+)/),
  },
];

export async function runChecks(): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (c) => ({
      name: c.name,
      required: c.required,
      enables: c.enables,
      debianPackage: c.debianPackage,
      install: c.install,
      ...(await c.probe()),
    })),
  );
}
