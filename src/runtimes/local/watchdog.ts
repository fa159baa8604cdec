// The harness side of the watchdog (the Ryuk idea without Docker): every started process group and temp dir is
// registered, and reaped if this process dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';

let child: ChildProcess | undefined;

function pipe(): Writable | undefined {
  if (!child) {
    // watchdog-process.ts beside this file in the sources, watchdog-process.js in the compiled package
    const script = fileURLToPath(new URL(`./watchdog-process${extname(import.meta.url)}`, import.meta.url));
    child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.unref();
    child.on('error', () => {});
    const stdin = child.stdin as (Writable & { unref?: () => void }) | null;
    stdin?.on('error', () => {});
    stdin?.unref?.();
  }
  return child.stdin ?? undefined;
}

function send(line: string): void {
  pipe()?.write(`${line}\n`);
}

/** Reap this process group if the harness dies. */
export function watchProcessGroup(pid: number): void {
  send(`pid ${pid}`);
}

export function unwatchProcessGroup(pid: number): void {
  if (child) send(`unpid ${pid}`);
}

/** Remove this directory if the harness dies. */
export function watchDirectory(dir: string): void {
  send(`dir ${dir}`);
}

export function unwatchDirectory(dir: string): void {
  if (child) send(`undir ${dir}`);
}

/** The watchdog's pid, for tests. */
export function watchdogPid(): number | undefined {
  return child?.pid;
}
