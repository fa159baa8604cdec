// Rule exposed-without-auth: listening beyond loopback with protected-mode off and no password — anyone on the network
// can FLUSHALL.
import type { LintRule } from '../lint-types.ts';
import { hasAuth, nonLoopback } from './network-exposure.ts';

export const exposedWithoutAuth: LintRule = {
  id: 'exposed-without-auth',
  severity: 'error',
  title: 'reachable from the network with protected-mode no and no password',
  explanation:
    'Without a password (requirepass, or a default user with one or switched off) every client is the default user, which can run every command. ' +
    "Protected mode is Redis's last guard: it refuses non-local clients while the default user has no password. With `protected-mode no` and a " +
    'non-loopback bind (or no bind line: Redis 7.0 then listens on every interface) anyone who reaches the port can read every session, FLUSHALL or CONFIG SET.',
  fix: 'Set `requirepass` or a `user default on >secret …` line (better: `user default off` plus named users), bind to the interfaces the clients use, and keep `protected-mode yes`.',
  check({ config }) {
    if (config.protectedMode.value || hasAuth(config)) return [];
    const exposed = nonLoopback(config);
    if (exposed.length === 0) return [];
    const where = config.bind.directive ? `bind ${exposed.join(' ')}` : 'no bind line (every interface)';
    return [
      {
        directive: config.protectedMode.directive,
        message: `protected-mode no, ${where} and no password: anyone who reaches the port has every command`,
      },
    ];
  },
};
