// Rule aclfile-unread: the users live in an aclfile lint could not read, so command restrictions were not checked.
import type { LintRule } from '../lint-types.ts';

export const aclfileUnread: LintRule = {
  id: 'aclfile-unread',
  severity: 'info',
  title: 'aclfile not readable here: ACL checks skipped',
  explanation:
    'With `aclfile` the users are defined in that file. Lint looked for it next to the config and in the current directory and did not find it, so it cannot tell whether FLUSHALL, FLUSHDB, CONFIG and DEBUG are restricted.',
  fix: 'Run lint where the aclfile is reachable at the same path, or check it with `cachequake audit` against the running server.',
  check({ config }) {
    if (!config.aclfile || config.aclfile.read) return [];
    return [
      {
        directive: config.aclfile.directive,
        message: `aclfile ${config.aclfile.path} could not be read; FLUSHALL/FLUSHDB/CONFIG/DEBUG restrictions were not checked`,
      },
    ];
  },
};
