// A server's whole process tree, for signals that must reach every process: PostgreSQL's backends leave the
// postmaster's process group (each calls setsid()), so a signal to the group alone misses every open session.
import { readFileSync, readdirSync } from 'node:fs';

/** The parent pid of every live process, from /proc (empty where /proc is missing). */
function parentPids(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return children;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  return children;
}

/** Every descendant of `pid` (children, their children, …), parents before their children. */
export function descendants(pid: number): number[] {
  const children = parentPids();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * Sends a signal to the process group of `pid` and to every descendant, wherever its group: SIGSTOP then freezes a
 * PostgreSQL server's open sessions too, SIGCONT wakes them, SIGKILL leaves none behind. The tree is read before the
 * signal (a killed leader's children move to another parent) and after it (a child forked in between).
 */
export function signalTree(pid: number, signal: NodeJS.Signals): void {
  const before = descendants(pid);
  try {
    process.kill(-pid, signal); // the leader's group first: a stopped postmaster starts no new backend meanwhile
  } catch {
    kill(pid, signal);
  }
  for (const child of new Set([...before, ...descendants(pid)])) kill(child, signal);
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
