// Rule protected-mode-off: protected mode switched off without a password, while only loopback is bound — one bind edit
// from exposure.
import type { LintRule } from '../lint-types.ts';
import { hasAuth, nonLoopback } from './network-exposure.ts';

export const protectedModeOff: LintRule = {
  id: 'protected-mode-off',
  severity: 'warning',
  title: 'protected-mode no without a password (loopback only for now)',
  explanation:
    'Today only loopback is bound, so only local processes connect. But protected mode is what refuses remote clients when the default user has no ' +
    'password; with it off, the day someone adds an interface to `bind` (or drops the bind line) the instance is open to the network.',
  fix: 'Keep `protected-mode yes`, or set a password (`requirepass`, `user default on >secret …`).',
  check({ config }) {
    if (config.protectedMode.value || hasAuth(config) || nonLoopback(config).length > 0) return [];
    return [
      {
        directive: config.protectedMode.directive,
        message: 'protected-mode no and no password; safe only while bind stays on loopback',
      },
    ];
  },
};
