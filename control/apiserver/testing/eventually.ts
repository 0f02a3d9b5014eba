/** Poll until an assertion passes (tests never sleep a fixed time). */

export interface EventuallyOptions { timeoutMs?: number; intervalMs?: number }

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
