// A fault spec's traits, read from its kind's record: destructive, what needs the server process, the keys it touches.
import { faultRecord } from './catalogue.ts';
import type { KeyScope } from './fault-record.ts';
import type { FaultSpec } from './fault-schema.ts';

/** Every Redis fault that changes data, config or clients (and every process fault) is destructive; toxics are not. */
export function isDestructive(fault: FaultSpec): boolean {
  return faultRecord(fault.kind).traits.destructive;
}

/** What in this spec needs the server's process (signals, a restart on the same port), or undefined. */
export function processNeedOf(fault: FaultSpec): { what: string; instead?: string; container?: string } | undefined {
  const need = faultRecord(fault.kind).traits.needsProcess;
  if (!need || (need.when && !need.when(fault))) return undefined;
  return {
    what: need.what ?? fault.kind,
    ...(need.instead ? { instead: need.instead } : {}),
    ...(need.container ? { container: need.container } : {}),
  };
}

/** The staging runtime (and docker, for those it cannot do to a container) refuses these faults up front. */
export function faultNeedsProcess(fault: FaultSpec): boolean {
  return processNeedOf(fault) !== undefined;
}

/** The keys a fault deletes or evicts, for `backup:`; undefined for one that deletes or evicts nothing. */
export function faultKeyScope(fault: FaultSpec, adminDb = 0): KeyScope | undefined {
  return faultRecord(fault.kind).traits.keys?.scope(fault, adminDb);
}
