// The harness side of the docker reaper (Ryuk's job without Ryuk's image): a detached child told each run's label and
// network, which removes them if this process dies, even by SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';

/** The label every container of a run carries: its value is the run id. */
export const runLabel = 'cachequake.run';

let child: ChildProcess | undefined;

function send(line: string): void {
  if (!child) {
    // docker-reaper-process.ts beside this file in the sources, .js in the compiled package
    const script = fileURLToPath(new URL(`./docker-reaper-process${extname(import.meta.url)}`, import.meta.url));
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
  child.stdin?.write(`${line}\n`);
}

/** Remove every container labelled with this run, and their anonymous volumes, if the harness dies. */
export function reapRunIfHarnessDies(runId: string): void {
  send(`run ${runId}`);
}

/** Remove this network if the harness dies (testcontainers labels networks with its session only). */
export function reapNetworkIfHarnessDies(id: string): void {
  send(`network ${id}`);
}

/** The run ended normally: its containers and network are already gone. */
export function forgetRun(runId: string, networkId?: string): void {
  if (!child) return;
  send(`unrun ${runId}`);
  if (networkId) send(`unnetwork ${networkId}`);
}

/** The reaper's pid, for tests. */
export function dockerReaperPid(): number | undefined {
  return child?.pid;
}
