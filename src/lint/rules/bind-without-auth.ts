// Rule bind-without-auth: a non-loopback bind without a password — protected mode refuses those remote clients, so
// someone will turn it off.
import type { LintRule } from '../lint-types.ts';
import { hasAuth, nonLoopback } from './network-exposure.ts';

export const bindWithoutAuth: LintRule = {
  id: 'bind-without-auth',
  severity: 'warning',
  title: 'non-loopback bind without requirepass or ACL users',
  explanation:
    'Redis 7.0 listens on the bound interfaces, but protected mode (on) refuses every non-local client while the default user has no password ' +
    '(`-DENIED Redis is running in protected mode …`). Either remote clients are not meant to connect (then bind loopback only), or they are and the usual ' +
    '"fix" is `protected-mode no`, which opens every command to the network.',
  fix: 'Set a password for the default user (`requirepass`) or define ACL users (`user app on >secret ~session:* +@read +@write`, `user default off`); otherwise bind 127.0.0.1 -::1.',
  check({ config }) {
    const exposed = nonLoopback(config);
    if (!config.bind.directive || !config.protectedMode.value || hasAuth(config) || exposed.length === 0) return [];
    return [
      {
        directive: config.bind.directive,
        message: `bind ${exposed.join(' ')} without a password: protected mode refuses these remote clients`,
      },
    ];
  },
};
