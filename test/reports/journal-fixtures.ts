// Test helper: the journals of real short runs of incident-2am kept under test/fixtures/journals (see its README lines
// in docs/reports.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Journal } from '../../src/journal/journal-types.ts';

export const journalFixtures = {
  /** naive-session-service, 2 s/6 s/3 s, 200 users: memory full, evictions, 175 sessions lost; exit 1. */
  failed: 'incident-2am-naive-failed.json',
  /** session-service, same run: every expectation holds; the breaker opens during the latency fault. */
  passed: 'incident-2am-passed.json',
  /** redis-server refused `maxmemory-policy bogus`: status error, no series. */
  error: 'incident-2am-redis-config-error.json',
} as const;

export type FixtureName = keyof typeof journalFixtures;

export function fixturePath(name: FixtureName): string {
  return fileURLToPath(new URL(`../fixtures/journals/${journalFixtures[name]}`, import.meta.url));
}

export function loadFixture(name: FixtureName): Journal {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Journal;
}
