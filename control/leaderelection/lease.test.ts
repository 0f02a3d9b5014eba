import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../util/clock.js';
import { silentLogger } from '../util/log.js';
import { eventually } from '../../test/helpers/eventually.js';
import { FakeLeaseLock, leaseSpec, microTime, recordFromLease } from './lease-lock.js';
import type { LeaderRecord, ObservedRecord } from './lease-lock.js';
import { LeaderElector } from './lease.js';
import type { LeaderCallbacks } from './lease.js';

const noop: LeaderCallbacks = { onStartedLeading: () => undefined, onStoppedLeading: () => undefined };

function elector(lock: FakeLeaseLock, clock: FakeClock, identity: string, callbacks: LeaderCallbacks = noop): LeaderElector {
  // Each wait yields to the event loop, then moves the fake time on.
  const sleep = async (ms: number): Promise<void> => { await new Promise((r) => setImmediate(r)); clock.advance(ms); };
  return new LeaderElector({ lock, identity, clock, log: silentLogger(), callbacks, sleep });
}

describe('LeaderElector.tryAcquireOrRenew', () => {
  it('acquires a missing lease, then renews it keeping acquireTime and transitions', async () => {
    const clock = new FakeClock();
    const lock = new FakeLeaseLock();
    const a = elector(lock, clock, 'host_a');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    const t0 = clock.now();
    expect(lock.current?.record).toEqual({ holderIdentity: 'host_a', leaseDurationSeconds: 15, acquireTime: t0, renewTime: t0, leaseTransitions: 0 });
    clock.advance(2000);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(lock.current?.record).toMatchObject({ holderIdentity: 'host_a', acquireTime: t0, renewTime: clock.now(), leaseTransitions: 0 });
    expect(lock.current?.resourceVersion).toBe('2');
  });

  it('leaves a live lease alone and takes it over once expired, counting the transition', async () => {
    const clock = new FakeClock();
    const lock = new FakeLeaseLock();
    const a = elector(lock, clock, 'host_a');
    const b = elector(lock, clock, 'host_b');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    clock.advance(14_000);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    expect(b.observedHolder).toBe('host_a');
    clock.advance(1_001); // renewTime + 15 s is now past
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(lock.current?.record).toMatchObject({ holderIdentity: 'host_b', acquireTime: clock.now(), leaseTransitions: 1 });
    expect(await a.tryAcquireOrRenew()).toBe(false);
  });

  it('loses a compare-and-swap race instead of overwriting', async () => {
    const clock = new FakeClock();
    const lock = new FakeLeaseLock();
    const a = elector(lock, clock, 'host_a');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    clock.advance(20_000);
    // b reads the expired lease, but c writes in between.
    const get = lock.get.bind(lock);
    vi.spyOn(lock, 'get').mockImplementationOnce(async () => {
      const seen = await get();
      await lock.update({ ...seen!.record, holderIdentity: 'host_c', renewTime: clock.now() }, seen!.resourceVersion);
      return seen;
    });
    const b = elector(lock, clock, 'host_b');
    expect(await b.tryAcquireOrRenew()).toBe(false);
    expect(lock.current?.record.holderIdentity).toBe('host_c');
  });

  it('takes a released lease at once', async () => {
    const clock = new FakeClock();
    const lock = new FakeLeaseLock();
    const a = elector(lock, clock, 'host_a');
    await a.tryAcquireOrRenew();
    await a.release();
    expect(lock.current?.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
    await a.release(); // idempotent: not the holder any more, nothing written
    expect(lock.current?.resourceVersion).toBe('2');
    const b = elector(lock, clock, 'host_b');
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(lock.current?.record).toMatchObject({ holderIdentity: 'host_b', leaseTransitions: 1 });
  });
});

describe('LeaderElector.run', () => {
  it('leads, stops leading when it cannot renew within renewDeadline, campaigns again, and releases on stop', async () => {
    const clock = new FakeClock();
    const lock = new FakeLeaseLock();
    const events: string[] = [];
    let workSignal: AbortSignal | undefined;
    const a = elector(lock, clock, 'host_a', {
      onStartedLeading: (signal) => { events.push('started'); workSignal = signal; },
      onStoppedLeading: () => { events.push('stopped'); },
    });
    const stop = new AbortController();
    const done = a.run(stop.signal);
    await eventually(() => expect(events).toEqual(['started']));
    expect(a.isLeader()).toBe(true);
    const renewed = lock.current!.resourceVersion;
    await eventually(() => expect(lock.current!.resourceVersion).not.toBe(renewed)); // renews every retryPeriod

    lock.fail = true;
    const failedAt = clock.now().getTime();
    await eventually(() => expect(events).toEqual(['started', 'stopped']));
    expect(workSignal?.aborted).toBe(true);
    expect(clock.now().getTime() - failedAt).toBeGreaterThanOrEqual(8_000); // about renewDeadline after the last renew
    expect(a.isLeader()).toBe(false);

    lock.fail = false;
    await eventually(() => expect(events).toEqual(['started', 'stopped', 'started']));
    stop.abort();
    await done;
    expect(events).toEqual(['started', 'stopped', 'started', 'stopped']);
    expect(lock.current?.record.holderIdentity).toBe('');
  });

  it('waits while another holds the lease and takes over after it expires', async () => {
    const clock = new FakeClock();
    const lock = new FakeLeaseLock();
    const other: LeaderRecord = { holderIdentity: 'host_z', leaseDurationSeconds: 15, renewTime: clock.now(), acquireTime: clock.now(), leaseTransitions: 4 };
    await lock.create(other);
    const started: number[] = [];
    const a = elector(lock, clock, 'host_a', { onStartedLeading: () => { started.push(clock.now().getTime()); }, onStoppedLeading: () => undefined });
    const stop = new AbortController();
    const t0 = clock.now().getTime();
    const done = a.run(stop.signal);
    await eventually(() => expect(started).toHaveLength(1));
    expect(started[0]! - t0).toBeGreaterThan(15_000);
    expect(lock.current?.record).toMatchObject({ holderIdentity: 'host_a', leaseTransitions: 5 });
    stop.abort();
    await done;
  });
});

describe('Lease spec conversion', () => {
  it('writes MicroTime and reads it back', () => {
    const t = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    expect(microTime(t)).toBe('2026-01-02T03:04:05.678000Z');
    const r: LeaderRecord = { holderIdentity: 'h', leaseDurationSeconds: 15, acquireTime: t, renewTime: t, leaseTransitions: 2 };
    const o: ObservedRecord = { record: recordFromLease({ spec: leaseSpec(r) }), resourceVersion: '1' };
    expect(o.record).toEqual(r);
  });
});
