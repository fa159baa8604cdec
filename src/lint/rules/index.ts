// The lint rule registry, in the order findings of equal position are listed.
import type { LintRule } from '../lint-types.ts';
import { aclfileUnread } from './aclfile-unread.ts';
import { allkeysPolicy } from './allkeys-policy.ts';
import { appendonlyNo } from './appendonly-no.ts';
import { bindWithoutAuth } from './bind-without-auth.ts';
import { dangerousCommandsOpen } from './dangerous-commands-open.ts';
import { debugCommandEnabled } from './debug-command-enabled.ts';
import { exposedWithoutAuth } from './exposed-without-auth.ts';
import { includeBesideFile } from './include-beside-file.ts';
import { includeUnreadable, unloadableLine } from './refused-line.ts';
import { unknownDirective } from './unknown-directive.ts';
import { maxmemoryMissing } from './maxmemory-missing.ts';
import { maxmemoryNearMachine } from './maxmemory-near-machine.ts';
import { noevictionPolicy } from './noeviction-policy.ts';
import { protectedModeOff } from './protected-mode-off.ts';
import { saveWithoutAof } from './save-without-aof.ts';
import { volatilePolicy } from './volatile-policy.ts';

export const lintRules: readonly LintRule[] = [
  unknownDirective,
  unloadableLine,
  includeUnreadable,
  allkeysPolicy,
  volatilePolicy,
  noevictionPolicy,
  maxmemoryMissing,
  maxmemoryNearMachine,
  saveWithoutAof,
  appendonlyNo,
  exposedWithoutAuth,
  protectedModeOff,
  bindWithoutAuth,
  dangerousCommandsOpen,
  debugCommandEnabled,
  includeBesideFile,
  aclfileUnread,
];
