import { describe, expect, it } from 'vitest';
import { isApiError } from '../../api/status.js';
import { DEFAULT_WATCH_LIMITS, WatchLimiter } from './watch-limiter.js';

const user = (name: string) => ({ name, groups: ['system:nodes', 'system:authenticated'] });

function refusal(fn: () => unknown): unknown {
  try { fn(); } catch (err) { if (isApiError(err)) return err.status; throw err; }
  throw new Error('expected a refusal');
}

describe('WatchLimiter', () => {
  it('caps one user and answers max-in-flight\'s 429', () => {
    const l = new WatchLimiter({ perUser: 2, total: 10 });
    l.acquire(user('node-a'));
    l.acquire(user('node-a'));
    expect(refusal(() => l.acquire(user('node-a')))).toMatchObject({
      code: 429, reason: 'TooManyRequests', message: 'Too many requests, please try again later.', details: { retryAfterSeconds: 1 } });
    l.acquire(user('node-b'));
    expect(l.count('node-a')).toBe(2);
    expect(l.count()).toBe(3);
  });

  it('caps everyone together', () => {
    const l = new WatchLimiter({ perUser: 5, total: 2 });
    l.acquire(user('a'));
    l.acquire(user('b'));
    expect(refusal(() => l.acquire(user('c')))).toMatchObject({ code: 429 });
  });

  it('gives a slot back once, however often release is called', () => {
    const l = new WatchLimiter({ perUser: 1, total: 1 });
    const release = l.acquire(user('a'));
    release();
    release();
    expect(l.count()).toBe(0);
    l.acquire(user('b'));
    expect(refusal(() => l.acquire(user('a')))).toMatchObject({ code: 429 });
  });

  it('never caps system:masters', () => {
    const l = new WatchLimiter({ perUser: 1, total: 1 });
    for (let i = 0; i < 5; i++) l.acquire({ name: 'admin', groups: ['system:masters'] });
    expect(l.count()).toBe(0);
    l.acquire(user('a'));
  });

  it('keeps the defaults for caps not given', () => {
    const l = new WatchLimiter({ total: 3 });
    for (let i = 0; i < 3; i++) l.acquire(user('a'));
    expect(refusal(() => l.acquire(user('a')))).toMatchObject({ code: 429 });
    expect(DEFAULT_WATCH_LIMITS.perUser).toBeGreaterThanOrEqual(100);
  });
});
