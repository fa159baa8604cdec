// `doctor --fix`: installs missing Debian packages when root on Debian/Ubuntu, otherwise says which commands to run.
import { existsSync } from 'node:fs';
import type { CheckResult } from './checks.ts';

export interface FixOutcome {
  installed: string[];
  commands: string[];
}

export async function fixMissing(results: CheckResult[], write: (line: string) => void): Promise<FixOutcome> {
  const packages = results.filter((r) => !r.found && r.debianPackage).map((r) => r.debianPackage as string);
  if (packages.length === 0) return { installed: [], commands: [] };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const isDebian = existsSync('/usr/bin/apt-get') && existsSync('/etc/debian_version');
  const commands = ['apt-get update', `apt-get install -y ${packages.join(' ')}`];
  if (!isRoot || !isDebian) {
    write(
      isDebian
        ? 'Not root: run these yourself:'
        : 'Not a Debian/Ubuntu machine: install these packages with your package manager:',
    );
    for (const c of commands) write(`  ${isDebian ? `sudo ${c}` : c}`);
    return { installed: [], commands };
  }
  const { execa } = await import('execa');
  for (const c of commands) {
    write(`$ ${c}`);
    const [bin, ...args] = c.split(' ');
    await execa(bin as string, args, {
      env: { DEBIAN_FRONTEND: 'noninteractive' },
      stdout: 'inherit',
      stderr: 'inherit',
    });
  }
  return { installed: packages, commands };
}
