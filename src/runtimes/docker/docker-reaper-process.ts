// The docker reaper child: holds a pipe from the harness; when it closes (the harness ended, even by SIGKILL) it
// force-removes every container labelled with a run it was told about (volumes too), then those runs' networks.
import { getContainerRuntimeClient } from 'testcontainers';

const runs = new Set<string>();
const networks = new Set<string>();
let buffered = '';

process.on('SIGINT', () => {}); // Ctrl-C belongs to the harness; the reaper ends when its pipe closes
process.on('SIGTERM', () => {});
process.on('SIGHUP', () => {});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
    apply(buffered.slice(0, newline));
    buffered = buffered.slice(newline + 1);
  }
});
process.stdin.on('end', () => void reap());
process.stdin.on('error', () => void reap());

function apply(line: string): void {
  const [verb, arg = ''] = line.split(' ', 2);
  if (verb === 'run') runs.add(arg);
  else if (verb === 'unrun') runs.delete(arg);
  else if (verb === 'network') networks.add(arg);
  else if (verb === 'unnetwork') networks.delete(arg);
}

async function reap(): Promise<void> {
  if (runs.size + networks.size === 0) process.exit(0);
  const { dockerode } = (await getContainerRuntimeClient()).container;
  const ignore = () => undefined;
  for (const runId of runs) {
    const listed = await dockerode
      .listContainers({ all: true, filters: { label: [`cachequake.run=${runId}`] } })
      .catch(() => []);
    await Promise.all(listed.map((c) => dockerode.getContainer(c.Id).remove({ force: true, v: true }).catch(ignore)));
  }
  for (const id of networks) await dockerode.getNetwork(id).remove().catch(ignore);
  process.exit(0);
}
