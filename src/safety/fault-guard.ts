// The late guard, run right before a fault is sent: a destructive fault reaches only a Redis this harness started, or
// one a staging clearance names.
import { invalidInput } from '../errors/index.ts';
import { isDestructive } from '../faults/fault-traits.ts';
import type { FaultContext, RedisHandle } from '../runtimes/fault-context.ts';
import type { FaultSpec } from '../faults/fault-schema.ts';
import { isIssuedClearance, type DestructiveClearance } from './destructive-clearance.ts';
import { readRedisIdentity, type RedisIdentity } from '../runtimes/redis-identity.ts';
import { startedByHarness } from '../runtimes/started-redis-registry.ts';

export interface GuardDecision {
  basis: 'not-destructive' | 'not-redis' | 'harness-started' | 'clearance';
  detail: string;
}

const identityTimeoutMs = 2000;
/**
 * A harness-started server is checked once per handle (a restart replaces the handle): a later fault still passes while
 * it is frozen.
 */
const checked = new WeakMap<RedisHandle, GuardDecision>();

export function refusal(spec: FaultSpec, where: string, reason: string) {
  return invalidInput(
    'CQ_DESTRUCTIVE_REFUSED',
    `refused ${spec.kind} on the Redis at ${where}: ${reason}; nothing was sent.`,
    {
      hint: 'Destructive faults go only to a Redis this harness started, or to a staging instance declared in an environment file: run with --env <file> --allow-destructive <redis.instance>, after `cachequake prepare --env <file> --allow-destructive <redis.instance>` set the marker key.',
    },
  );
}

/** Allows the fault (returns why) or throws CQ_DESTRUCTIVE_REFUSED (exit 2). Reads only: INFO server. */
export async function guardFault(
  ctx: FaultContext,
  spec: FaultSpec,
  clearance?: DestructiveClearance,
): Promise<GuardDecision> {
  if (!isDestructive(spec)) return { basis: 'not-destructive', detail: `${spec.kind} changes nothing in Redis` };
  if ('on' in spec && spec.on === 'postgres')
    return { basis: 'not-redis', detail: `${spec.kind} acts on PostgreSQL, which the Redis guard does not cover` };
  const redis = ctx.redis();
  const known = checked.get(redis);
  if (known) return known;
  const where = `${redis.host}:${redis.port}`;
  const identity = await readRedisIdentity(redis.admin, identityTimeoutMs);
  const decision = decide(spec, redis, where, identity, clearance);
  if (decision.basis === 'harness-started') checked.set(redis, decision);
  return decision;
}

function decide(
  spec: FaultSpec,
  redis: RedisHandle,
  where: string,
  identity: RedisIdentity | undefined,
  clearance: DestructiveClearance | undefined,
): GuardDecision {
  const ours = identity && startedByHarness(identity);
  if (ours && identity) {
    if (redis.pid !== undefined && ours.runtime === 'local' && redis.pid !== identity.processId) {
      throw refusal(
        spec,
        where,
        `the handle names pid ${redis.pid}, but the server there is pid ${identity.processId}`,
      );
    }
    return {
      basis: 'harness-started',
      detail: `a redis-server this harness started (${ours.runtime}, pid ${identity.processId}, port ${identity.tcpPort}, run_id ${identity.runId.slice(0, 8)}…)`,
    };
  }
  const who = identity
    ? `pid ${identity.processId}, run_id ${identity.runId.slice(0, 8)}…`
    : 'INFO server did not answer, so who it is cannot be told';
  if (clearance === undefined)
    throw refusal(
      spec,
      where,
      `this harness did not start it (${who}) and no staging guard cleared it (no --env file with --allow-destructive)`,
    );
  if (!isIssuedClearance(clearance))
    throw refusal(
      spec,
      where,
      'the clearance given was not issued by the staging guard (a hand-made clearance does not count)',
    );
  if (clearance.identity) {
    if (!identity)
      throw refusal(
        spec,
        where,
        `the staging guard checked run_id ${clearance.identity.runId.slice(0, 8)}…, but ${who}`,
      );
    if (identity.runId !== clearance.identity.runId) {
      throw refusal(
        spec,
        where,
        `it is not the server the staging guard checked for ${clearance.instance} (run_id ${identity.runId.slice(0, 8)}… now, ${clearance.identity.runId.slice(0, 8)}… then: restarted, or another server)`,
      );
    }
  } else if (clearance.host !== redis.host || clearance.port !== redis.port) {
    throw refusal(spec, where, `the staging guard cleared ${clearance.host}:${clearance.port}, not this address`);
  }
  return {
    basis: 'clearance',
    detail: `staging instance ${clearance.instance} of ${clearance.environment}, cleared by ${clearance.detail}`,
  };
}
