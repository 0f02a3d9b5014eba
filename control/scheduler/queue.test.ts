import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../util/clock.js';
import { SchedulingQueue } from './queue.js';
import { makePod } from './testing/fixtures.js';

const queues: SchedulingQueue[] = [];
function setup(): { clock: FakeClock; q: SchedulingQueue } {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  queues.push(q);
  return { clock, q };
}
afterEach(() => { for (const q of queues.splice(0)) q.close(); });

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival', () => {
    const { clock, q } = setup();
    q.add(makePod('low1'));
    clock.advance(1);
    q.add(makePod('high', { priority: 1000 }));
    clock.advance(1);
    q.add(makePod('low2'));
    expect([q.tryPop()?.key, q.tryPop()?.key, q.tryPop()?.key, q.tryPop()]).toEqual(['default/high', 'default/low1', 'default/low2', undefined]);
  });

  it('dedupes adds and drops deleted pods', () => {
    const { q } = setup();
    q.add(makePod('a'));
    q.add(makePod('a'));
    q.add(makePod('b'));
    q.delete('default/a');
    expect(q.tryPop()?.key).toBe('default/b');
    expect(q.tryPop()).toBeUndefined();
  });

  it('parks unschedulable pods until an interesting event, then honours backoff (1 s doubling to 10 s)', () => {
    const { clock, q } = setup();
    q.add(makePod('p'));
    const first = q.tryPop()!;
    q.addUnschedulable(first, new Set(['NodeResourcesFit']));
    q.onClusterEvent('AssignedPodAdd', (plugins, e) => plugins.has('InterPodAffinity') && e === 'AssignedPodAdd');
    expect(q.counts()).toMatchObject({ unschedulable: 1 });
    q.onClusterEvent('NodeAdd');
    expect(q.counts()).toMatchObject({ backoff: 1 }); // attempt 1 failed just now: 1 s backoff
    expect(q.tryPop()).toBeUndefined();
    clock.advance(999);
    q.flush();
    expect(q.tryPop()).toBeUndefined();
    clock.advance(1);
    q.flush();
    const second = q.tryPop()!;
    expect(second.attempts).toBe(2);
    expect(q.backoffUntil(second) - (second.lastFailure ?? 0)).toBe(2000);
    for (let i = 3; i <= 6; i++) { second.attempts = i; expect(q.backoffUntil(second) - (second.lastFailure ?? 0)).toBe(Math.min(10_000, 1000 * 2 ** (i - 1))); }
  });

  it('moves a pod to active directly when its backoff already ended', () => {
    const { clock, q } = setup();
    q.add(makePod('p'));
    q.addUnschedulable(q.tryPop()!, new Set(['X']));
    clock.advance(5000);
    q.onClusterEvent('NodeUpdate');
    expect(q.tryPop()?.key).toBe('default/p');
  });

  it('sends a pod to backoff if an event came in while it was being scheduled', () => {
    const { q } = setup();
    q.add(makePod('p'));
    const qp = q.tryPop()!;
    q.onClusterEvent('NodeAdd'); // during the cycle
    q.addUnschedulable(qp, new Set(['NodeResourcesFit']));
    expect(q.counts()).toMatchObject({ backoff: 1, unschedulable: 0 });
  });

  it('retries an unschedulable pod after 5 minutes without events', () => {
    const { clock, q } = setup();
    q.add(makePod('p'));
    q.addUnschedulable(q.tryPop()!, new Set(['X']));
    clock.advance(5 * 60_000 - 1);
    q.flush();
    expect(q.tryPop()).toBeUndefined();
    clock.advance(1);
    q.flush();
    expect(q.tryPop()?.key).toBe('default/p');
  });

  it('retries an unschedulable pod whose spec changed, not one whose status changed', () => {
    const { clock, q } = setup();
    q.add(makePod('p'));
    q.addUnschedulable(q.tryPop()!, new Set(['X']));
    clock.advance(2000);
    q.update(makePod('p'), { specChanged: false });
    expect(q.tryPop()).toBeUndefined();
    q.update(makePod('p', { cpu: '1' }), { specChanged: true });
    expect(q.tryPop()?.pod.spec?.containers[0]?.resources?.requests?.['cpu']).toBe('1');
  });

  it('done() forgets a bound pod; addBackoff() brings a failed bind back', () => {
    const { clock, q } = setup();
    q.add(makePod('p'));
    const qp = q.tryPop()!;
    q.done(qp.key);
    expect(q.has(qp.key)).toBe(false);
    q.addBackoff(qp);
    expect(q.counts()).toMatchObject({ backoff: 1 });
    clock.advance(1000);
    q.flush();
    expect(q.tryPop()?.key).toBe('default/p');
  });

  it('pop() waits for a pod without polling and ends on abort', async () => {
    const { q } = setup();
    const ac = new AbortController();
    const got = q.pop(ac.signal);
    q.add(makePod('p'));
    expect((await got)?.key).toBe('default/p');
    const none = q.pop(ac.signal);
    ac.abort();
    expect(await none).toBeUndefined();
  });

  it('wakes a waiting pop() when a backoff ends (real timer)', async () => {
    const q = new SchedulingQueue({ clock: { now: () => new Date() }, initialBackoffMs: 20 });
    queues.push(q);
    q.add(makePod('p'));
    q.addBackoff(q.tryPop()!);
    const t0 = Date.now();
    const qp = await q.pop(new AbortController().signal);
    expect(qp?.key).toBe('default/p');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
  });
});
