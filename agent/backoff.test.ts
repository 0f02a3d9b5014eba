import { describe, expect, it } from 'vitest';
import { FakeClock } from '../control/util/clock.js';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap and forgets after 2×max idle', () => {
    const clock = new FakeClock();
    const b = new Backoff({ initialMs: 10_000, maxMs: 300_000, clock });
    expect([b.next('k'), b.next('k'), b.next('k'), b.next('k'), b.next('k'), b.next('k')]).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000]);
    clock.advance(600_001);
    expect(b.next('k')).toBe(10_000);
  });

  it('reports whether an event is still inside its backoff', () => {
    const clock = new FakeClock();
    const b = new Backoff({ initialMs: 10_000, maxMs: 300_000, clock });
    const t = clock.now().getTime();
    expect(b.inBackoffSince('k', t)).toBe(false);
    b.next('k');
    expect(b.inBackoffSince('k', t)).toBe(true);
    expect(b.remaining('k', t)).toBe(10_000);
    clock.advance(10_000);
    expect(b.inBackoffSince('k', t)).toBe(false);
  });
});
