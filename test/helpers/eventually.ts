/**
 * The one way tests wait for something: poll `fn` until it returns without throwing and hand back
 * what it returned. On timeout the last error is rethrown, so the failure is the assertion that
 * never held. Tests never sleep a fixed time: to assert that something did NOT happen, first wait
 * here for an observable proof that the input was processed (observedGeneration, an event, a
 * sync counter), then assert.
 */

export interface EventuallyOptions {
  /** Give up after this long. Default 3 s: under vitest's 5 s test timeout, so the assertion's own message is what fails. */
  timeoutMs?: number;
  /** Pause between attempts. Default 10 ms (tests against real processes pass 100 ms or more). */
  intervalMs?: number;
}

export async function eventually<T>(fn: () => Promise<T> | T, opts: EventuallyOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 3000);
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 10));
  }
}
