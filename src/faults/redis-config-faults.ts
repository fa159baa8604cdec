// Redis faults through CONFIG SET: lowering maxmemory live, any parameters, and refusing new clients; each restored at
// the end.
import { connect } from 'node:net';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { defineFault } from './fault-record.ts';
import { timing } from './fault-fields.ts';
import { evictionScope } from './redis-data-faults.ts';
import { sizeField } from '../schema/quantities.ts';
import { sampleRedisInfo } from '../probes/redis-info.ts';

async function configGet(admin: Redis, names: string[]): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const reply = (await admin.config('GET', name)) as string[];
    values[name] = reply[1] ?? '';
  }
  return values;
}

async function configSet(admin: Redis, values: Record<string, string | number>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await admin.config('SET', name, String(value));
}

/** Sets parameters, reads them back, and returns a revert that restores the snapshot taken first. */
async function setWithRestore(admin: () => Redis, values: Record<string, string | number>) {
  const names = Object.keys(values);
  const before = await configGet(admin(), names);
  await configSet(admin(), values);
  const after = await configGet(admin(), names);
  return {
    before,
    after,
    revert: async () => {
      await configSet(admin(), before);
      return { restored: await configGet(admin(), names) };
    },
  };
}

export const maxmemoryFault = defineFault({
  kind: 'maxmemory',
  group: 'redis',
  description:
    'lowers maxmemory live (and optionally the policy): immediate eviction, or OOM on writes under noeviction/volatile-*; restored at the end',
  params: {
    ...timing,
    to: sizeField,
    policy: z
      .enum([
        'noeviction',
        'allkeys-lru',
        'allkeys-lfu',
        'allkeys-random',
        'volatile-lru',
        'volatile-lfu',
        'volatile-random',
        'volatile-ttl',
      ])
      .optional(),
  },
  traits: {
    destructive: true,
    topology: 'any',
    keys: { text: 'any key of any database (eviction)', scope: evictionScope },
  },
  plan: (spec) => [
    `redis: CONFIG GET maxmemory maxmemory-policy (snapshot)`,
    `redis: ${spec.policy ? `CONFIG SET maxmemory-policy ${spec.policy}; ` : ''}CONFIG SET maxmemory ${spec.to}`,
    'at the end: CONFIG SET the snapshot back',
  ],
  async inject(ctx, spec) {
    const info = await sampleRedisInfo(ctx.redis().admin, 2000);
    const values: Record<string, string | number> = spec.policy
      ? { 'maxmemory-policy': spec.policy, maxmemory: spec.to }
      : { maxmemory: spec.to };
    const change = await setWithRestore(() => ctx.redis().admin, values);
    await new Promise((r) => setTimeout(r, 200));
    const later = await sampleRedisInfo(ctx.redis().admin, 2000);
    const probe = await ctx
      .redis()
      .admin.set('cachequake:probe:write', '1')
      .then(
        () => 'OK',
        (e: Error) => e.message,
      );
    await ctx
      .redis()
      .admin.del('cachequake:probe:write')
      .catch(() => undefined);
    return {
      evidence: {
        before: change.before,
        after: change.after,
        usedMemoryBefore: info?.used_memory,
        usedMemory200msLater: later?.used_memory,
        evictedKeys: (later?.evicted_keys ?? 0) - (info?.evicted_keys ?? 0),
        probeWrite: probe,
      },
      revert: change.revert,
    };
  },
});

export const configSetFault = defineFault({
  kind: 'config-set',
  group: 'redis',
  description: 'CONFIG SET any parameters; the previous values are restored at the end',
  params: {
    ...timing,
    parameters: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .refine((p) => Object.keys(p).length > 0, 'give at least one parameter'),
  },
  traits: {
    destructive: true,
    topology: 'any',
    keys: {
      text: 'any key of any database when it sets maxmemory or maxmemory-policy (eviction)',
      scope: (spec) =>
        'maxmemory' in spec.parameters || 'maxmemory-policy' in spec.parameters
          ? { pattern: '*', why: 'a maxmemory or eviction-policy change may evict any key' }
          : undefined,
    },
  },
  plan: (spec) => [
    'redis: CONFIG GET (snapshot)',
    ...Object.entries(spec.parameters).map(([k, v]) => `redis: CONFIG SET ${k} ${v}`),
    'at the end: CONFIG SET the snapshot back',
  ],
  async inject(ctx, spec) {
    const change = await setWithRestore(() => ctx.redis().admin, spec.parameters);
    return { evidence: { before: change.before, after: change.after }, revert: change.revert };
  },
});

/** What a brand-new client connection is told: a PONG, or the refusal. */
function newConnectionReply(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (c) => (reply += c.toString()));
    socket.on('error', (e: NodeJS.ErrnoException) => (reply ||= e.code ?? e.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply.trim() || 'closed');
    });
    socket.on('data', () => reply.includes('\r\n') && socket.end());
  });
}

export const maxclientsFault = defineFault({
  kind: 'maxclients',
  group: 'redis',
  description: 'CONFIG SET maxclients: new connections beyond it are refused (existing ones stay); restored at the end',
  params: { ...timing, to: z.number().int().min(1) },
  traits: { destructive: true, topology: 'any' },
  plan: (spec) => [
    'redis: CONFIG GET maxclients (snapshot)',
    `redis: CONFIG SET maxclients ${spec.to}`,
    'at the end: CONFIG SET maxclients <snapshot>',
  ],
  async inject(ctx, spec) {
    const info = await sampleRedisInfo(ctx.redis().admin, 2000);
    const change = await setWithRestore(() => ctx.redis().admin, { maxclients: spec.to });
    const newClient = await newConnectionReply(ctx.redis().host, ctx.redis().port);
    return {
      evidence: {
        before: change.before,
        after: change.after,
        connectedClients: info?.connected_clients,
        newConnectionReply: newClient,
      },
      revert: async () => ({
        ...(await change.revert()),
        newConnectionReply: await newConnectionReply(ctx.redis().host, ctx.redis().port),
      }),
    };
  },
});
