// Rule dangerous-commands-open: FLUSHALL, FLUSHDB, CONFIG and DEBUG usable by the default user — not renamed, not
// denied by ACL.
import type { EffectiveConfig } from '../effective-config.ts';
import type { LintRule } from '../lint-types.ts';

/** The commands checked and the ACL entries that must all be denied for each. */
const commands: { name: string; acl: string[] }[] = [
  { name: 'FLUSHALL', acl: ['flushall'] },
  { name: 'FLUSHDB', acl: ['flushdb'] },
  { name: 'CONFIG', acl: ['config|set', 'config|rewrite', 'config|resetstat'] },
  { name: 'DEBUG', acl: ['debug'] },
];

/** The checked commands the default user can run, under their original names. */
export function openDangerousCommands(config: EffectiveConfig): string[] {
  const user = config.defaultUser.value;
  if (!user.enabled) return [];
  return commands
    .filter((c) => {
      if (c.name === 'DEBUG' && config.debugCommand.value === 'no') return false;
      if (config.renamed.has(c.name.toLowerCase())) return false;
      return c.acl.some((entry) => user.commands.get(entry) === true);
    })
    .map((c) => c.name);
}

export const dangerousCommandsOpen: LintRule = {
  id: 'dangerous-commands-open',
  severity: 'warning',
  title: 'FLUSHALL, FLUSHDB, CONFIG or DEBUG open to the default user',
  explanation:
    'Every connection starts as the default user. If it may run FLUSHALL or FLUSHDB, one mistyped script or tool pointed at the wrong host deletes every session ' +
    '(FLUSHALL SYNC of 2 GB blocked Redis 7.0.15 for 2.5 s; ASYNC returns in 6 ms with the keys gone); CONFIG SET can lower maxmemory or switch the policy live. ' +
    'DEBUG counts only when enable-debug-command is yes or local. Named users that are allowed these commands are not flagged: that is a deliberate grant.',
  fix: 'Deny them to the default user (`user default on >secret ~* &* +@all -flushall -flushdb -config -debug`, and give operators a named user), or `rename-command FLUSHALL ""` (ACLs are preferred: renaming breaks tools and replicas that expect the name).',
  check({ config }) {
    if (config.aclfile && !config.aclfile.read) return [];
    const open = openDangerousCommands(config);
    if (open.length === 0) return [];
    const names = open.join(', ');
    const userLine = config.defaultUser.directive?.name === 'user' ? config.defaultUser.directive : undefined;
    return [
      { directive: userLine, message: `${names} can be run by the default user: not renamed, not denied by an ACL` },
    ];
  },
};
