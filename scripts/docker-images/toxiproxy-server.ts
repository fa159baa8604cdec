// The entrypoint of cachequake.local/toxiproxy: cachequake's Toxiproxy-compatible fault proxy, taking
// toxiproxy-server's own flags (-host, -port, -config) so images and compose files written for
// ghcr.io/shopify/toxiproxy run it unchanged.
import { readFile } from 'node:fs/promises';
import { startFaultProxy } from '../../src/proxy/index.ts';

const flags = new Map<string, string>();
for (const arg of process.argv.slice(2)) {
  const match = /^--?(host|port|config)=(.*)$/.exec(arg);
  if (!match) {
    process.stderr.write(`toxiproxy (cachequake): unknown flag ${arg}; expected -host=…, -port=…, -config=…\n`);
    process.exit(2);
  }
  flags.set(match[1] as string, match[2] as string);
}
const config = flags.get('config');
const started = await startFaultProxy({
  host: flags.get('host') ?? '0.0.0.0',
  port: Number(flags.get('port') ?? 8474),
  populate: config === undefined ? undefined : (JSON.parse(await readFile(config, 'utf8')) as unknown[]),
});
process.stdout.write(`API HTTP server starting on ${started.url} (cachequake's Toxiproxy-compatible server)\n`);
const stop = () => void started.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
