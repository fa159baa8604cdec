// Rule debug-command-enabled: enable-debug-command yes lets any client crash, freeze or reload the server.
import type { LintRule } from '../lint-types.ts';

export const debugCommandEnabled: LintRule = {
  id: 'debug-command-enabled',
  severity: 'error',
  title: 'enable-debug-command yes',
  explanation:
    'DEBUG SLEEP blocks the whole server (DEBUG SLEEP 2 held a PING from another client for 1.8 s on Redis 7.0.15), DEBUG SEGFAULT crashes it and DEBUG RELOAD ' +
    'rewrites the dataset. Redis 7.0 disables DEBUG by default, and it cannot be switched on live (CONFIG SET refuses an immutable config): `yes` in a ' +
    'production file opens it to every client that may run it.',
  fix: 'Remove the line (the default is no); use `enable-debug-command local` only on test instances.',
  check({ config }) {
    if (config.debugCommand.value !== 'yes') return [];
    return [
      {
        directive: config.debugCommand.directive,
        message: 'enable-debug-command yes: DEBUG SLEEP, SEGFAULT and RELOAD are open to remote clients',
      },
    ];
  },
};
