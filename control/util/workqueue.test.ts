import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkQueue } from './workqueue.js';

/** The key if get() has answered by the next turn of the event loop, else 'pending'. */
async function settled<K>(p: Promise<K | undefined>): Promise<K | undefined | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
}

describe('WorkQueue', () => {
  it('hands keys out in order and dedupes a key added again while it waits', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.length).toBe(0);
  });

  it('never hands one key to two workers: a re-add while processing waits for done(), then comes back once', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    expect(await q.get()).toBe('a');
    const second = q.get();
    q.add('a');
    q.add('a');
    expect(await settled(second)).toBe('pending');
    expect(q.length).toBe(0);
    q.done('a');
    expect(await second).toBe('a');
    q.done('a');
    expect(q.length).toBe(0);
  });

  it('done() without a re-add drops the key', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.done((await q.get())!);
    expect(q.length).toBe(0);
    expect(await settled(q.get())).toBe('pending');
  });

  it('a waiting worker gets a key as soon as it is added', async () => {
    const q = new WorkQueue<string>();
    const w = q.get();
    q.add('a');
    expect(await w).toBe('a');
    expect(q.length).toBe(0);
  });

  it('get() answers undefined when its signal aborts, and the aborted worker takes no later key', async () => {
    const q = new WorkQueue<string>();
    const ac = new AbortController();
    const w = q.get(ac.signal);
    ac.abort();
    expect(await w).toBeUndefined();
    expect(await q.get(ac.signal)).toBeUndefined();
    q.add('a');
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });
});

describe('WorkQueue delays and shutdown', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('addAfter adds after the delay; zero adds at once', () => {
    const q = new WorkQueue<string>();
    q.addAfter('now', 0);
    expect(q.length).toBe(1);
    q.addAfter('later', 50);
    vi.advanceTimersByTime(49);
    expect(q.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(q.length).toBe(2);
  });

  it('addRateLimited backs off 5 ms · 2^n per key; forget() starts over; keys back off independently', async () => {
    const q = new WorkQueue<string>();
    const expectDelay = async (key: string, ms: number): Promise<void> => {
      q.addRateLimited(key);
      vi.advanceTimersByTime(ms - 1);
      expect(q.length, `${key} before ${ms} ms`).toBe(0);
      vi.advanceTimersByTime(1);
      expect(q.length, `${key} at ${ms} ms`).toBe(1);
      expect(await q.get()).toBe(key);
      q.done(key);
    };
    await expectDelay('a', 5);
    await expectDelay('a', 10);
    await expectDelay('a', 20);
    await expectDelay('b', 5);
    await expectDelay('a', 40);
    q.forget('a');
    await expectDelay('a', 5);
  });

  it('the backoff is capped at 1000 s by default', async () => {
    const q = new WorkQueue<string>();
    for (let n = 0; n < 18; n++) q.addRateLimited('a'); // the 18th waits 5 ms · 2^17 = 655 s
    vi.advanceTimersByTime(5 * 2 ** 17);
    expect(await q.get()).toBe('a');
    q.done('a');
    q.addRateLimited('a'); // 5 ms · 2^18 = 1311 s, capped
    vi.advanceTimersByTime(999_999);
    expect(q.length).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.length).toBe(1);
  });

  it('baseDelayMs and maxDelayMs change the curve', async () => {
    const q = new WorkQueue<string>({ baseDelayMs: 10, maxDelayMs: 25 });
    for (const ms of [10, 20, 25, 25]) {
      q.addRateLimited('k');
      vi.advanceTimersByTime(ms - 1);
      expect(q.length, `before ${ms} ms`).toBe(0);
      vi.advanceTimersByTime(1);
      expect(await q.get()).toBe('k');
      q.done('k');
    }
  });

  it('shutdown releases waiting workers, refuses new keys and cancels delayed adds', async () => {
    const q = new WorkQueue<string>();
    const w = q.get();
    q.addAfter('later', 100);
    q.addRateLimited('retry');
    q.shutdown();
    expect(await w).toBeUndefined();
    q.add('a');
    expect(q.length).toBe(0);
    expect(await q.get()).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(q.length).toBe(0);
  });
});
