// Which keys a fault will touch, for `backup:`: its record's trait (every database, one database, a pattern, or none).
import type { KeyScope } from '../faults/fault-record.ts';

export { faultKeyScope as backupScope } from '../faults/fault-traits.ts';

export type BackupScope = KeyScope;

export function describeScope(scope: BackupScope): string {
  return `${scope.db === undefined ? 'every database' : `db ${scope.db}`}${scope.pattern === '*' ? '' : `, keys matching ${scope.pattern}`}`;
}
