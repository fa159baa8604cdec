// Tracks a spawned child's exit and stops it: a polite request, then SIGKILL to its whole process group after a grace
// period.
import type { ChildProcess } from 'node:child_process';
import { signalTree } from './process-tree.ts';

export interface ChildExit {
  readonly exited: boolean;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly promise: Promise<void>;
}

export function trackExit(child: ChildProcess): ChildExit {
  const state = { exited: false, code: null as number | null, signal: null as NodeJS.Signals | null };
  const promise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      state.exited = true;
      state.code = code;
      state.signal = signal;
      resolve();
    });
    child.once('error', () => {
      state.exited = true;
      resolve();
    });
  });
  return {
    get exited() {
      return state.exited;
    },
    get code() {
      return state.code;
    },
    get signal() {
      return state.signal;
    },
    promise,
  };
}

/** Sends a signal to the child's process group (it was spawned detached), falling back to the child alone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Runs `ask` (SHUTDOWN, SIGINT, SIGTERM…), waits up to graceMs for the exit, then SIGKILLs the group and waits. */
export async function stopChild(
  pid: number,
  exit: ChildExit,
  ask: () => Promise<void> | void,
  graceMs: number,
): Promise<void> {
  if (exit.exited) return;
  signalTree(pid, 'SIGCONT'); // a frozen (SIGSTOPped) server, or a frozen session of it, cannot shut down
  try {
    await ask();
  } catch {
    // the polite way failed; SIGKILL below
  }
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([exit.promise.then(() => 'exited' as const), timer])) === 'timeout') {
    signalTree(pid, 'SIGKILL'); // postgres backends run in process groups of their own
    await exit.promise;
  }
  // the group may hold helpers (a target's children): make sure none outlive the leader (its own tree is gone from
  // /proc by now: its children moved to another parent, and the pid may belong to someone else)
  signalGroup(pid, 'SIGKILL');
}
