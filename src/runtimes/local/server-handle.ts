// The part every started server shares: its process, signals, log tail, and an idempotent stop that cleans its port and
// dir.
import { rm } from 'node:fs/promises';
import { stopChild, type ChildExit } from './child-exit.ts';
import { signalTree } from './process-tree.ts';
import { releasePort } from './free-port.ts';
import { tailFile } from './log-tail.ts';
import { unwatchDirectory, unwatchProcessGroup } from './watchdog.ts';

export interface ServerProcess {
  pid: number;
  exit: ChildExit;
  port: number;
  /** True when the port was picked here (and goes back to the pool on stop). */
  portPicked: boolean;
  dir: string;
  /** True when the dir was made here (and is removed on stop unless `keepDir`). */
  ownDir: boolean;
  logFile: string;
  /** The polite way to ask it to stop (SHUTDOWN NOSAVE, SIGINT); SIGKILL follows after graceMs. */
  askToStop: () => Promise<void> | void;
  graceMs: number;
  /** Runs first on stop (e.g. closing an admin client). */
  beforeStop?: () => void;
}

export interface ServerHandleBase extends AsyncDisposable {
  readonly pid: number;
  readonly exited: boolean;
  signal(signal: NodeJS.Signals): void;
  waitForExit(): Promise<void>;
  logTail(lines?: number): Promise<string>;
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

export function serverHandle(server: ServerProcess): ServerHandleBase {
  let stopping: Promise<void> | undefined;
  const handle: ServerHandleBase = {
    pid: server.pid,
    get exited() {
      return server.exit.exited;
    },
    // the whole tree: a SIGSTOP of PostgreSQL must freeze its open sessions, whose backends left the group
    signal: (signal) => signalTree(server.pid, signal),
    waitForExit: () => server.exit.promise,
    logTail: (lines = 20) => tailFile(server.logFile, lines),
    stop(opts = {}) {
      stopping ??= (async () => {
        server.beforeStop?.();
        await stopChild(server.pid, server.exit, server.askToStop, server.graceMs);
        unwatchProcessGroup(server.pid);
        if (server.portPicked) releasePort(server.port);
        if (server.ownDir && !opts.keepDir) {
          await rm(server.dir, { recursive: true, force: true });
          unwatchDirectory(server.dir);
        }
      })();
      return stopping;
    },
    [Symbol.asyncDispose]: () => handle.stop(),
  };
  return handle;
}
