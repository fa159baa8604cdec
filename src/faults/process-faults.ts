// Process faults on Redis or PostgreSQL: freeze (SIGSTOP/SIGCONT or DEBUG SLEEP), kill -9 with a restart, and a
// restart.
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { invalidInput } from '../errors/index.ts';
import { defineFault } from './fault-record.ts';
import { link, timing } from './fault-fields.ts';
import { within } from '../runtimes/within.ts';

/** The process state letter from /proc (R running, S sleeping, T stopped, Z zombie), or "gone". */
export function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return 'gone';
  }
}

export const freezeFault = defineFault({
  kind: 'freeze',
  group: 'process',
  description:
    'freezes the server: SIGSTOP … SIGCONT (connections stay open, nothing answers), or DEBUG SLEEP (Redis only)',
  params: { ...timing, on: link, method: z.enum(['sigstop', 'debug-sleep']).default('sigstop') },
  traits: {
    destructive: true,
    topology: 'any',
    needsProcess: {
      when: (spec) => spec.method === 'sigstop',
      what: 'freeze with method sigstop',
      instead: 'Use method: debug-sleep',
      container: 'docker pause … docker unpause (the cgroup freezer stops every process in the container)',
    },
  },
  validate(spec, _context, issue) {
    if (spec.method === 'debug-sleep' && spec.on !== 'redis')
      issue('method', 'DEBUG SLEEP exists only in Redis; use method: sigstop to freeze PostgreSQL');
  },
  plan: (spec, durationMs) =>
    spec.method === 'sigstop'
      ? [
          `${spec.on}: kill -STOP <pid> (its process group and every child: PostgreSQL's open sessions too)`,
          `at the end: kill -CONT, the same processes`,
        ]
      : [`redis: DEBUG SLEEP ${(durationMs / 1000).toFixed(3)} (on its own connection)`],
  async inject(ctx, spec, durationMs) {
    if (spec.method === 'debug-sleep') {
      const redis = ctx.redis();
      const sleeper = new Redis({ host: redis.host, port: redis.port, lazyConnect: true, maxRetriesPerRequest: 0 });
      sleeper.on('error', () => {});
      await sleeper.connect();
      const started = Date.now();
      const done = sleeper.call('DEBUG', 'SLEEP', (durationMs / 1000).toFixed(3)).finally(() => sleeper.disconnect());
      const ping = await within(redis.admin.ping(), 200);
      return {
        evidence: {
          command: `DEBUG SLEEP ${(durationMs / 1000).toFixed(3)}`,
          pingDuringSleep: ping ?? 'no answer within 200ms',
        },
        revert: async () => {
          await done.catch(() => undefined);
          return { sleptMs: Date.now() - started, pong: await within(ctx.redis().admin.ping(), 1000) };
        },
      };
    }
    const server = spec.on === 'redis' ? ctx.redis() : ctx.postgres();
    if (!server)
      throw invalidInput('CQ_FAULT_NEEDS_POSTGRES', 'freeze on postgres: this experiment started no PostgreSQL.', {
        hint: 'Set postgres: true in the experiment, or freeze on: redis.',
      });
    const { pause, resume } = server;
    if (pause && resume) {
      // a container: its cgroup freezer stops every process in it, as SIGSTOP of the process tree does locally
      const paused = await pause.call(server);
      return {
        evidence: { method: 'docker pause', ...paused },
        revert: async () => ({ method: 'docker unpause', ...(await resume.call(server)) }),
      };
    }
    const { pid, signal } = server;
    if (pid === undefined || !signal)
      throw invalidInput(
        'CQ_FAULT_NEEDS_PROCESS',
        `freeze (sigstop) on ${spec.on} needs the server process, and this runtime does not run it.`,
        { hint: 'Use method: debug-sleep (Redis only), or run on the local runtime.' },
      );
    signal.call(server, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 20));
    return {
      evidence: { pid, signal: 'SIGSTOP', processState: processState(pid) },
      revert: async () => {
        signal.call(server, 'SIGCONT');
        await new Promise((r) => setTimeout(r, 20));
        return { pid, signal: 'SIGCONT', processState: processState(pid) };
      },
    };
  },
});

export const killFault = defineFault({
  kind: 'kill',
  group: 'process',
  description:
    'kill -9 of the server; started again on the same port and data dir at the end (data is lost unless persistence is on)',
  params: {
    ...timing,
    on: link,
    restart: z.boolean().default(true).meta({ description: 'start it again (same port and dir) when the fault ends' }),
  },
  traits: {
    destructive: true,
    topology: 'any',
    needsProcess: {
      container: 'docker kill -s KILL, then docker start (the same container: its files and network alias)',
    },
  },
  plan: (spec) => [
    `${spec.on}: kill -KILL <pid>`,
    spec.restart ? `at the end: start ${spec.on} again on the same port and data dir` : 'not restarted',
  ],
  async inject(ctx, spec) {
    const keysBefore = spec.on === 'redis' ? await within(ctx.redis().admin.dbsize(), 1000) : undefined;
    const { pid } = await ctx.kill(spec.on);
    return {
      evidence: {
        pid,
        signal: 'SIGKILL',
        processState: processState(pid),
        ...(keysBefore !== undefined ? { keysBefore } : {}),
      },
      revert: spec.restart
        ? async () => {
            const started = await ctx.startAgain(spec.on);
            const keysAfter = spec.on === 'redis' ? await ctx.redis().admin.dbsize() : undefined;
            return { pid: started.pid, restarted: true, ...(keysAfter !== undefined ? { keysAfter } : {}) };
          }
        : undefined,
    };
  },
});

export const restartFault = defineFault({
  kind: 'restart',
  group: 'process',
  description:
    'stops the server politely (Redis: SHUTDOWN SAVE|NOSAVE; PostgreSQL: fast shutdown) and starts it again on the same port',
  params: {
    ...timing,
    on: link,
    save: z.boolean().default(false).meta({ description: 'SHUTDOWN SAVE instead of NOSAVE (Redis)' }),
  },
  traits: {
    destructive: true,
    topology: 'any',
    needsProcess: {
      container: 'Redis: SHUTDOWN SAVE|NOSAVE; PostgreSQL: docker kill -s INT (fast shutdown); then docker start',
    },
  },
  plan: (spec) => [
    spec.on === 'redis' ? `redis: SHUTDOWN ${spec.save ? 'SAVE' : 'NOSAVE'}` : 'postgres: SIGINT (fast shutdown)',
    `${spec.on}: start again on the same port and data dir`,
  ],
  async inject(ctx, spec) {
    const keysBefore = spec.on === 'redis' ? await within(ctx.redis().admin.dbsize(), 1000) : undefined;
    const outcome = await ctx.restart(spec.on, spec.save);
    const keysAfter = spec.on === 'redis' ? await ctx.redis().admin.dbsize() : undefined;
    return { evidence: { ...outcome, ...(keysBefore !== undefined ? { keysBefore, keysAfter } : {}) } };
  },
});
