// Sentinel faults on the current primary: a forced failover, a kill -9 that Sentinel must fail over (restarted as a
// replica), and a freeze.
import { environmentError, invalidInput } from '../errors/index.ts';
import type { SentinelControl, SentinelNode } from '../runtimes/topology/sentinel/sentinel-control.ts';
import { eventsAsEvidence } from '../runtimes/topology/sentinel/sentinel-events.ts';
import type { FaultContext } from '../runtimes/fault-context.ts';
import { z } from 'zod';
import { defineFault } from './fault-record.ts';
import { timing } from './fault-fields.ts';
import { processState } from './process-faults.ts';

/** A forced failover switches in about 1–2 s on loopback; this bounds the wait for a +switch-master. */
const switchTimeoutMs = 15_000;

function sentinelOf(ctx: FaultContext, kind: string): SentinelControl {
  if (!ctx.sentinel) {
    throw invalidInput(
      'CQ_FAULT_NEEDS_SENTINEL',
      `${kind} needs redis.topology: sentinel, and this experiment runs topology ${ctx.topology ?? 'single'}.`,
      {
        hint: 'Set redis.topology: sentinel in the experiment, or use kill/freeze on: redis, which act on the one server.',
      },
    );
  }
  return ctx.sentinel;
}

function nodeEvidence(node: SentinelNode) {
  return { node: node.name, port: node.proxyPort, link: node.link.name, pid: node.server().pid };
}

function switchEvidence(
  sentinel: SentinelControl,
  since: number,
  switched: { to: SentinelNode; at: number } | undefined,
) {
  return {
    switched: switched !== undefined,
    ...(switched ? { newPrimary: nodeEvidence(switched.to), switchMs: Math.round(switched.at - since) } : {}),
    sentinelEvents: eventsAsEvidence(sentinel.events(since), since),
  };
}

/**
 * What the sentinels did after the inject's evidence was taken (a second failover, the old primary's return), ms from
 * the fault.
 */
function laterEvents(sentinel: SentinelControl, since: number, after: number) {
  return { laterSentinelEvents: eventsAsEvidence(sentinel.events(after), since) };
}

function noSwitch(what: string, sentinel: SentinelControl, since: number) {
  const seen = sentinel.events(since).map((e) => `${Math.round(e.at - since)} ms ${e.sentinel} ${e.event} ${e.detail}`);
  return environmentError(
    'CQ_SENTINEL_NO_SWITCH',
    `${what}, but no sentinel announced a new primary (+switch-master) within ${switchTimeoutMs / 1000} s.`,
    {
      hint: `Sentinel events since then:\n${seen.slice(0, 30).join('\n') || '(none)'}\nA failover needs a replica in sync and a majority of the sentinels reachable.`,
    },
  );
}

export const failoverFault = defineFault({
  kind: 'failover',
  group: 'process',
  description:
    'SENTINEL FAILOVER: a replica is promoted and the primary demoted, without waiting for agreement that it is down; writes the old primary takes until +switch-master are lost',
  params: { ...timing },
  traits: { destructive: true, topology: 'sentinel' },
  plan: () => [
    'sentinel: SENTINEL FAILOVER <master name> (straight to the first sentinel that answers)',
    'wait for +switch-master; the old primary stays a replica (not undone)',
  ],
  async inject(ctx) {
    const sentinel = sentinelOf(ctx, 'failover');
    const old = sentinel.primaryNode();
    const oldPrimary = nodeEvidence(old);
    const since = performance.now();
    const reply = await sentinel.failover();
    const switched = await sentinel.waitForSwitch(old, switchTimeoutMs);
    if (!switched) throw noSwitch(`SENTINEL FAILOVER answered ${reply}`, sentinel, since);
    return {
      evidence: {
        command: `SENTINEL FAILOVER ${sentinel.masterName}`,
        reply,
        oldPrimary,
        ...switchEvidence(sentinel, since, switched),
      },
    };
  },
});

export const killPrimaryFault = defineFault({
  kind: 'kill-primary',
  group: 'process',
  description:
    'kill -9 of the current primary; Sentinel must notice (down-after) and promote a replica. restart: true brings it back as a replica when the fault ends',
  params: {
    ...timing,
    restart: z
      .boolean()
      .default(true)
      .meta({ description: 'start it again (same port and dir) as a replica of the new primary when the fault ends' }),
  },
  traits: { destructive: true, topology: 'sentinel', needsProcess: {} },
  plan: (spec) => [
    'redis primary (as Sentinel announces it): kill -KILL <pid>',
    'wait for +switch-master',
    spec.restart
      ? 'at the end: start it again on its port and dir as a replica of the new primary, until every sentinel lists it healthy'
      : 'not restarted',
  ],
  async inject(ctx, spec) {
    const sentinel = sentinelOf(ctx, 'kill-primary');
    const old = sentinel.primaryNode();
    const oldPrimary = nodeEvidence(old);
    const since = performance.now();
    const { pid } = await sentinel.kill(old);
    const state = processState(pid);
    const switched = await sentinel.waitForSwitch(old, sentinel.downAfterMs + switchTimeoutMs);
    if (!switched) {
      if (spec.restart) await sentinel.start(old).catch(() => undefined); // the run goes on with its primary back
      throw noSwitch(`${old.name} (pid ${pid}) was killed`, sentinel, since);
    }
    const evidence = {
      oldPrimary,
      signal: 'SIGKILL',
      processState: state,
      ...switchEvidence(sentinel, since, switched),
    };
    const shown = performance.now();
    return {
      evidence,
      revert: spec.restart
        ? async () => {
            const started = await sentinel.start(old, { waitForSentinels: true, timeoutMs: switchTimeoutMs });
            return {
              node: old.name,
              pid: started.pid,
              role: started.role,
              of: started.of?.name,
              readyMs: started.readyMs,
              replication: await sentinel.replication(old),
              ...laterEvents(sentinel, since, shown),
            };
          }
        : undefined,
    };
  },
});

export const freezePrimaryFault = defineFault({
  kind: 'freeze-primary',
  group: 'process',
  description:
    'SIGSTOP of the current primary for `for`: connections stay open and hang; Sentinel fails over if it lasts past down-after. SIGCONT at the end: it wakes as a stale primary until Sentinel converts it',
  params: { ...timing },
  traits: { destructive: true, topology: 'sentinel', needsProcess: {} },
  plan: () => [
    'redis primary (as Sentinel announces it): kill -STOP <pid>',
    'wait for +switch-master while frozen',
    'at the end: kill -CONT <pid>',
  ],
  async inject(ctx, _spec, durationMs) {
    const sentinel = sentinelOf(ctx, 'freeze-primary');
    const old = sentinel.primaryNode();
    const server = old.server();
    const since = performance.now();
    server.signal('SIGSTOP');
    await new Promise((r) => setTimeout(r, 20));
    const frozen = { oldPrimary: nodeEvidence(old), signal: 'SIGSTOP', processState: processState(server.pid) };
    // wait for the failover while it is frozen, but not past the freeze
    const switched = await sentinel.waitForSwitch(old, Math.max(0, durationMs - 40));
    const shown = performance.now();
    return {
      evidence: { ...frozen, ...switchEvidence(sentinel, since, switched) },
      revert: async () => {
        server.signal('SIGCONT');
        await new Promise((r) => setTimeout(r, 20));
        const replication = await sentinel.replication(old);
        return {
          node: old.name,
          pid: server.pid,
          signal: 'SIGCONT',
          processState: processState(server.pid),
          replication,
          ...laterEvents(sentinel, since, shown),
          ...(replication?.role === 'master' && sentinel.primaryNode() !== old
            ? {
                stalePrimary: true,
                note: 'it answers as a primary until Sentinel converts it (+convert-to-slave, up to ~10 s later); writes it takes meanwhile are lost',
              }
            : {}),
        };
      },
    };
  },
});
