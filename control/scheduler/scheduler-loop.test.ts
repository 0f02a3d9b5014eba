import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { defaultProfile } from './default-profile.js';
import { Framework } from './framework.js';
import { SchedulingQueue } from './queue.js';
import { SchedulerLoop } from './scheduler-loop.js';
import { Snapshot } from './snapshot.js';
import { makeNode, makePod } from './testing/fixtures.js';

function setup(bind: (pod: Pod, node: string) => Promise<void>) {
  const snapshot = new Snapshot();
  snapshot.setNode(makeNode('a', { cpu: '1' }));
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  const seen: string[] = [];
  const loop = new SchedulerLoop({
    framework: new Framework({ profile: defaultProfile(snapshot), snapshot }), queue, log: silentLogger(),
    binder: { bind },
    reporter: {
      scheduled: (p, n) => seen.push(`scheduled ${p.metadata?.name} ${n}`),
      unschedulable: (p, m) => seen.push(`unschedulable ${p.metadata?.name}: ${m}`),
      bindFailed: (p) => seen.push(`bindFailed ${p.metadata?.name}`),
    },
  });
  return { snapshot, clock, queue, seen, loop };
}

describe('SchedulerLoop', () => {
  it('assumes, binds and reports; the next pod sees the assumed one', async () => {
    const bound: string[] = [];
    const { queue, seen, loop, snapshot } = setup(async (p, n) => { bound.push(`${p.metadata?.name}@${n}`); });
    queue.add(makePod('p1', { cpu: '600m' }));
    queue.add(makePod('p2', { cpu: '600m' }));
    loop.scheduleOne(queue.tryPop()!);
    loop.scheduleOne(queue.tryPop()!);
    await loop.drain();
    expect(bound).toEqual(['p1@a']);
    expect(seen[0]).toBe('unschedulable p2: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..');
    expect(seen[1]).toBe('scheduled p1 a');
    expect(snapshot.isAssumed('default/p1')).toBe(true);
    expect(queue.counts()).toMatchObject({ unschedulable: 1 });
  });

  it('forgets the assumed pod and backs off when the bind fails', async () => {
    const { queue, seen, loop, snapshot, clock } = setup(() => Promise.reject(new Error('conflict')));
    queue.add(makePod('p', { cpu: '600m' }));
    loop.scheduleOne(queue.tryPop()!);
    await loop.drain();
    expect(seen).toEqual(['bindFailed p']);
    expect(snapshot.isAssumed('default/p')).toBe(false);
    expect(snapshot.get('a')!.requested.milliCpu).toBe(0);
    expect(queue.counts()).toMatchObject({ backoff: 1 });
    clock.advance(1000);
    queue.flush();
    expect(queue.tryPop()?.attempts).toBe(2);
  });
});
