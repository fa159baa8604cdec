// The watchdog child: holds a pipe from the harness; when the pipe closes (the harness ended, even by SIGKILL) it kills
// every process group and removes every directory it was told about.
import { rmSync } from 'node:fs';

const groups = new Set<number>();
const dirs = new Set<string>();
let buffered = '';

process.on('SIGINT', () => {}); // Ctrl-C belongs to the harness; the watchdog ends when its pipe closes
process.on('SIGTERM', () => {});
process.on('SIGHUP', () => {});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  let newline = buffered.indexOf('\n');
  while (newline >= 0) {
    apply(buffered.slice(0, newline));
    buffered = buffered.slice(newline + 1);
    newline = buffered.indexOf('\n');
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);

function apply(line: string): void {
  const space = line.indexOf(' ');
  const verb = line.slice(0, space);
  const arg = line.slice(space + 1);
  if (verb === 'pid') groups.add(Number(arg));
  else if (verb === 'unpid') groups.delete(Number(arg));
  else if (verb === 'dir') dirs.add(arg);
  else if (verb === 'undir') dirs.delete(arg);
}

function reap(): void {
  for (const pid of groups) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGCONT');
        process.kill(target, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  // give the kernel a moment to release files before removing the directories
  setTimeout(
    () => {
      for (const dir of dirs) {
        try {
          rmSync(dir, { recursive: true, force: true });
        } catch {
          // best effort
        }
      }
      process.exit(0);
    },
    groups.size ? 200 : 0,
  );
}
