// An experiment must fit its target: sessions.* needs a session section, cache.* a cache section; the refusal names
// the expectation by index (exit 2) and nothing else is refused.
import { describe, expect, it } from 'vitest';
import { checkTargetFit } from '../../src/experiment/target-fit.ts';
import { resolveTarget } from '../../src/targets/index.ts';

describe('checkTargetFit', () => {
  it('refuses cache.* on a session target and sessions.* on a cache target, naming expect[i]', async () => {
    const sessions = await resolveTarget('session-service');
    const catalogue = await resolveTarget('catalogue-service');
    const expect_ = ['http.error_rate < 1%', 'cache.stale == 0'];
    expect(() => checkTargetFit({ name: 'x', expect: expect_ }, sessions)).toThrow(
      expect.objectContaining({
        code: 'CQ_TARGET_NO_CACHE',
        kind: 'invalid-input',
        message: expect.stringContaining('experiment x, expect[1] `cache.stale == 0`'),
      }),
    );
    expect(() => checkTargetFit({ name: 'y', expect: ['sessions.lost_rate < 1%'] }, catalogue)).toThrow(
      expect.objectContaining({ code: 'CQ_TARGET_NO_SESSION', message: expect.stringContaining('expect[0]') }),
    );
    // what either can answer is accepted
    expect(() => checkTargetFit({ name: 'z', expect: expect_ }, catalogue)).not.toThrow();
    expect(() =>
      checkTargetFit({ name: 'z', expect: ['sessions.lost == 0', 'redis.evicted_keys > 0'] }, sessions),
    ).not.toThrow();
  });
});
