// Redis faults on clients: CLIENT PAUSE (writes or everything) and CLIENT KILL of every normal connection.
import { Redis } from 'ioredis';
import { z } from 'zod';
import { defineFault } from './fault-record.ts';
import { timing } from './fault-fields.ts';
import { within } from '../runtimes/within.ts';

export const clientPauseFault = defineFault({
  kind: 'client-pause',
  group: 'redis',
  description:
    'CLIENT PAUSE for the fault duration: WRITE holds writes (and EVAL), ALL holds every command; a WRITE pause is ended by CLIENT UNPAUSE',
  params: { ...timing, mode: z.enum(['write', 'all']).default('write') },
  traits: { destructive: true, topology: 'any' },
  plan: (spec, durationMs) => [
    `redis: CLIENT PAUSE ${durationMs} ${spec.mode.toUpperCase()}`,
    spec.mode === 'write'
      ? 'at the end: CLIENT UNPAUSE'
      : 'at the end: the pause expires by itself (an ALL pause cannot be ended early)',
  ],
  async inject(ctx, spec, durationMs) {
    const redis = ctx.redis();
    // A separate client sees the pause: its write (or, under ALL, its PING) does not return. It connects first: under
    // ALL its ready check (INFO) would wait for the whole pause, and the fault would return only once it was over.
    const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    await probe.connect().catch(() => undefined);
    await redis.admin.call('CLIENT', 'PAUSE', String(durationMs), spec.mode.toUpperCase());
    const started = Date.now();
    const reply = await within(spec.mode === 'write' ? probe.set('cachequake:probe:pause', '1') : probe.ping(), 300);
    probe.disconnect();
    return {
      evidence: {
        command: `CLIENT PAUSE ${durationMs} ${spec.mode.toUpperCase()}`,
        probe: reply === undefined ? `${spec.mode === 'write' ? 'SET' : 'PING'} held for > 300ms` : `answered ${reply}`,
      },
      revert: async () => {
        if (spec.mode === 'write') {
          await ctx.redis().admin.call('CLIENT', 'UNPAUSE');
          await ctx.redis().admin.del('cachequake:probe:pause');
          return { command: 'CLIENT UNPAUSE', pausedForMs: Date.now() - started };
        }
        const left = durationMs - (Date.now() - started);
        if (left > 0) await new Promise((r) => setTimeout(r, left));
        return { pong: await within(ctx.redis().admin.ping(), 1000), pausedForMs: Date.now() - started };
      },
    };
  },
});

export const clientKillFault = defineFault({
  kind: 'client-kill',
  group: 'redis',
  description: 'CLIENT KILL TYPE <type>: drops every client connection of that type (the admin connection survives)',
  params: { ...timing, type: z.enum(['normal', 'pubsub', 'replica']).default('normal') },
  traits: { destructive: true, topology: 'any' },
  plan: (spec) => [`redis: CLIENT KILL TYPE ${spec.type} SKIPME yes`],
  async inject(ctx, spec) {
    const killed = await ctx.redis().admin.call('CLIENT', 'KILL', 'TYPE', spec.type, 'SKIPME', 'yes');
    return { evidence: { command: `CLIENT KILL TYPE ${spec.type}`, connectionsKilled: killed } };
  },
});
