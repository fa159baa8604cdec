// Evaluates ACL rules (`user default on nopass ~* +@all -flushall …`) for the commands lint cares about, the way Redis
// applies them in order.

/** Commands and subcommands lint tracks, with the ACL categories Redis 7.0 puts them in. */
const tracked: Record<string, readonly string[]> = {
  flushall: ['keyspace', 'write', 'slow', 'dangerous'],
  flushdb: ['keyspace', 'write', 'slow', 'dangerous'],
  'config|get': ['admin', 'slow', 'dangerous'],
  'config|set': ['admin', 'slow', 'dangerous'],
  'config|rewrite': ['admin', 'slow', 'dangerous'],
  'config|resetstat': ['admin', 'slow', 'dangerous'],
  debug: ['admin', 'slow', 'dangerous'],
};

export interface AclUser {
  enabled: boolean;
  /** `nopass`: any password (or none) logs in as this user. */
  nopass: boolean;
  passwords: number;
  /** tracked command → allowed. */
  commands: Map<string, boolean>;
}

/** The default user of a fresh Redis 7.0: `on nopass ~* &* +@all`. */
export function defaultUser(): AclUser {
  return { enabled: true, nopass: true, passwords: 0, commands: new Map(Object.keys(tracked).map((c) => [c, true])) };
}

/** The state after `reset`: `resetpass resetkeys resetchannels off -@all`. */
function resetUser(): AclUser {
  return {
    enabled: false,
    nopass: false,
    passwords: 0,
    commands: new Map(Object.keys(tracked).map((c) => [c, false])),
  };
}

function setCommands(commands: Map<string, boolean>, rule: string, allowed: boolean): void {
  const name = rule.toLowerCase();
  for (const command of Object.keys(tracked)) {
    const categories = tracked[command] ?? [];
    const matches =
      name === '@all' ||
      (name.startsWith('@') && categories.includes(name.slice(1))) ||
      command === name ||
      command.startsWith(`${name}|`);
    if (matches) commands.set(command, allowed);
  }
}

/**
 * Applies `rules` (the words after `user <name>`) to a user that starts reset, as Redis does for users in a config or
 * ACL file.
 */
export function applyAclRules(rules: readonly string[]): AclUser {
  const user = resetUser();
  // `(…)` selectors grant extra permissions; Redis splits them over several words in a config line
  const selectors: string[][] = [];
  let selector: string[] | undefined;
  for (const word of rules) {
    if (selector) {
      const end = word.endsWith(')');
      selector.push(end ? word.slice(0, -1) : word);
      if (end) {
        selectors.push(selector);
        selector = undefined;
      }
      continue;
    }
    if (word.startsWith('(')) {
      const inner = word.slice(1);
      if (inner.endsWith(')')) selectors.push([inner.slice(0, -1)]);
      else selector = [inner];
      continue;
    }
    applyWord(user, word);
  }
  for (const words of selectors) {
    const granted = resetUser().commands;
    for (const word of words) applyCommandWord(granted, word);
    for (const [command, allowed] of granted) if (allowed) user.commands.set(command, true);
  }
  return user;
}

function applyWord(user: AclUser, word: string): void {
  const lower = word.toLowerCase();
  if (lower === 'on') user.enabled = true;
  else if (lower === 'off') user.enabled = false;
  else if (lower === 'nopass') {
    user.nopass = true;
    user.passwords = 0;
  } else if (lower === 'resetpass') {
    user.nopass = false;
    user.passwords = 0;
  } else if (word.startsWith('>') || word.startsWith('#')) {
    user.passwords++;
    user.nopass = false;
  } else if (lower === 'reset') Object.assign(user, resetUser());
  else applyCommandWord(user.commands, word);
}

function applyCommandWord(commands: Map<string, boolean>, word: string): void {
  const lower = word.toLowerCase();
  if (lower === 'allcommands') setCommands(commands, '@all', true);
  else if (lower === 'nocommands') setCommands(commands, '@all', false);
  else if (word.startsWith('+')) setCommands(commands, word.slice(1), true);
  else if (word.startsWith('-')) setCommands(commands, word.slice(1), false);
}

/** True when the user can log in without a password. */
export function opensWithoutPassword(user: AclUser): boolean {
  return user.enabled && user.nopass;
}
