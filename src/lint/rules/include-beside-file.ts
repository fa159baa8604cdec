// Rule include-beside-file: a relative include found only next to the including file — redis-server looks in its
// working directory instead.
import type { LintRule } from '../lint-types.ts';

export const includeBesideFile: LintRule = {
  id: 'include-beside-file',
  severity: 'info',
  title: 'relative include resolved next to the file, not where redis-server looks',
  explanation:
    'redis-server resolves a relative `include` against its working directory (changed by any earlier `dir` line), not against the directory of the file ' +
    'that includes it. Lint found the file next to the including file, so it checked it; redis-server started from another directory exits with ' +
    '"Fatal error, can\'t open config file".',
  fix: 'Use an absolute path in the include line.',
  check({ config }) {
    return config.conf.includes
      .filter((inc) => inc.resolvedFrom === 'file-dir')
      .map((inc) => ({
        directive: inc.directive,
        message: `include ${inc.directive.args[0] ?? ''} was found next to this file; redis-server resolves it against its working directory`,
      }));
  },
};
