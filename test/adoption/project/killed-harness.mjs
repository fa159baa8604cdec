// A harness in the adopting project: starts Redis, PostgreSQL and a target through the installed package's API,
// prints their pids and dirs, then waits to be SIGKILLed (the package's watchdog must reap them).
import { freePort, startPostgres, startRedis, startTargetProcess } from 'cachequake';

const port = await freePort();
const server = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
const [redis, postgres, target] = await Promise.all([
  startRedis(),
  startPostgres(),
  startTargetProcess({ name: 'tiny', command: 'node', args: ['-e', server], port, healthPath: '/' }),
]);
process.stdout.write(
  `${JSON.stringify({ pids: [redis.pid, postgres.pid, target.pid], dirs: [redis.dir, postgres.dir] })}\n`,
);
setInterval(() => {}, 1000);
