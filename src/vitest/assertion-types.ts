// Types the cachequake matchers on vitest's Assertion (module augmentation), so `expect(journal).toKeepAllSessions()`
// type-checks.
import 'vitest';

declare module 'vitest' {
  // the type parameters must repeat vitest's own declaration exactly, T included
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Assertion<R extends void | Promise<void> = void, T = unknown> {
    /** Every session logged in before the faults is still valid at the end (sessions.lost == 0). */
    toKeepAllSessions(): R;
    /** A cache target: every id of its cache read path answered as at baseline, during the run and at the end. */
    toKeepCacheCorrect(): R;
    /** recovery.seconds is measured and at most this long: '5s', '800ms', or milliseconds. */
    toRecoverWithin(bound: string | number): R;
    /** The experiment passed: every expectation held and the steady state too. */
    toPassExpectations(): R;
  }
}
