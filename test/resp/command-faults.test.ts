// The command fault kinds on a local environment: the rule is read back, a probe through the link shows it, revert
// removes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startLocalEnvironment, type StartedEnvironment } from '../../src/runtimes/local/local-environment.ts';
import { faultImplementation } from '../../src/faults/catalogue.ts';
import type { InjectedFault } from '../../src/faults/fault-implementation.ts';
import { faultSchema, type FaultSpec } from '../../src/faults/fault-schema.ts';
import { linkPort } from '../../src/runtimes/proxy-links.ts';

let env: StartedEnvironment;
let client: Redis;

beforeAll(async () => {
  env = await startLocalEnvironment({ runId: 'cmdfaults', redis: {}, postgres: false });
  // Connected before any fault, like a service's pool: rules must still reach it.
  client = new Redis({
    host: '127.0.0.1',
    port: linkPort(env.link('redis')),
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
  });
  client.on('error', () => {});
  await client.ping();
});
afterAll(async () => {
  client?.disconnect();
  await env?.stop();
});

async function inject(input: Record<string, unknown>): Promise<InjectedFault> {
  const spec = faultSchema.parse(input);
  const impl = faultImplementation(spec.kind) as {
    inject: (c: StartedEnvironment, s: FaultSpec, d: number) => Promise<InjectedFault>;
  };
  return impl.inject(env, spec, 1000);
}

describe('command faults', () => {
  it('redis-error: evidence shows the rule and the OOM probe; a pooled connection gets OOM; revert lifts it', async () => {
    const fault = await inject({ kind: 'redis-error', commands: ['SET', 'EXPIRE'], keys: 'session:*', error: 'OOM' });
    expect(fault.evidence.rule).toMatchObject({
      action: 'error',
      commands: ['SET', 'EXPIRE'],
      keys: 'session:*',
      probability: 1,
      error: "OOM command not allowed when used memory > 'maxmemory'.",
    });
    expect(fault.evidence.probe).toMatchObject({ reply: "-OOM command not allowed when used memory > 'maxmemory'." });
    await expect(client.set('session:a', '1')).rejects.toThrow('OOM command not allowed');
    expect(await client.set('cart:a', '1')).toBe('OK');
    expect(await fault.revert?.()).toEqual({ commandsAffected: 1, rulesRemaining: [] });
    expect(await client.set('session:a', '1')).toBe('OK');
  });

  it('command-latency, command-drop and command-close show their action in the probe', async () => {
    const latency = await inject({ kind: 'command-latency', commands: ['GET'], latencyMs: 200 });
    expect((latency.evidence.probe as { ms: number; reply: string }).reply).toBe('$-1');
    expect((latency.evidence.probe as { ms: number }).ms).toBeGreaterThanOrEqual(195);
    await latency.revert?.();
    const drop = await inject({ kind: 'command-drop', commands: ['GET'], keys: 'never' });
    expect(drop.evidence.probe).toMatchObject({ reply: 'no reply within 500ms' });
    await drop.revert?.();
    const close = await inject({ kind: 'command-close', commands: ['GET'], keys: 'never' });
    expect(close.evidence.probe).toMatchObject({ reply: 'closed by proxy' });
    expect(await close.revert?.()).toEqual({ commandsAffected: 0, rulesRemaining: [] });
    expect(await client.get('cart:a')).toBe('1');
  });
});
