// A directive redis-server 7.0 does not know: it refuses to start with the whole file ("Bad directive").
import { closestNames } from '../../schema/closest-names.ts';
import type { LintRule } from '../lint-types.ts';
import { isKnownDirective, redisDirectives } from '../redis-directives.ts';

const known = [...redisDirectives];

export const unknownDirective: LintRule = {
  id: 'unknown-directive',
  severity: 'error',
  title: 'A directive redis-server 7.0 does not know',
  explanation:
    'redis-server reads the config line by line and stops at the first name it does not know with "Bad directive or wrong number of arguments": the server does not start at all. A misspelt name (maxmemory-polcy) never silently falls back to the default.',
  fix: 'Correct the name (lint suggests the nearest known directive) or remove the line.',
  check({ config }) {
    const directives = config.conf.directives;
    const moduleLoaded = directives.some((d) => d.name === 'loadmodule');
    const sentinel = directives.some((d) => d.name === 'sentinel' && d.args[0]?.toLowerCase() === 'monitor');
    return directives
      .filter((d) => !isKnownDirective(d.name, { moduleLoaded, sentinel }))
      .map((d) => {
        const nearest = closestNames(d.name, known, 1)[0];
        const guess = nearest ? ` — did you mean \`${nearest}\`?` : '';
        const module = d.name.includes('.') ? ' (a module config needs its loadmodule line first)' : '';
        return {
          message: `\`${d.name}\` is not a redis-server 7.0 directive${module}: redis-server refuses to start with this file${guess}`,
          directive: d,
          ...(nearest ? { fix: `Write \`${[nearest, ...d.args].join(' ')}\` (or remove the line).` } : {}),
        };
      });
  },
};
