import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { describe, expect, it } from 'vitest';
import { DELETION_TIMEOUT_MS, PdbSyncError, computePdbStatus, sameStatus } from './pdb-status.js';
import type { ScaleLookup } from './pdb-status.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(name: string, o: { ready?: boolean; owner?: string; terminating?: boolean } = {}): Pod {
  return {
    metadata: {
      name, namespace: 'default', labels: { app: 'web' },
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `uid-${o.owner}`, controller: true }] } : {}),
      ...(o.terminating ? { deletionTimestamp: iso(NOW) } : {}),
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

const pdb = (spec: PodDisruptionBudget['spec'], status?: Partial<NonNullable<PodDisruptionBudget['status']>>): PodDisruptionBudget => ({
  metadata: { name: 'pdb', namespace: 'default', generation: 3 },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  ...(status ? { status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0, ...status } } : {}),
});

/** Every ReplicaSet named rsN has scale N·… as given. */
const scales = (m: Record<string, number>): ScaleLookup => (ref) => (m[ref.name] === undefined ? undefined : { uid: ref.uid, scale: m[ref.name]! });
const three = [pod('a', { owner: 'rs' }), pod('b', { owner: 'rs' }), pod('c', { owner: 'rs' })];

describe('computePdbStatus', () => {
  it.each([
    ['minAvailable int: expected = pod count', { minAvailable: 2 }, 3, { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 }],
    ['minAvailable equal to the pods', { minAvailable: 3 }, 3, { expectedPods: 3, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 }],
    ['minAvailable percent rounds up against the scale', { minAvailable: '50%' }, 5, { expectedPods: 5, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 }],
    ['maxUnavailable int against the scale', { maxUnavailable: 1 }, 3, { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 }],
    ['maxUnavailable percent rounds up', { maxUnavailable: '34%' }, 3, { expectedPods: 3, desiredHealthy: 1, currentHealthy: 3, disruptionsAllowed: 2 }],
    ['maxUnavailable larger than the scale floors desired at 0', { maxUnavailable: 10 }, 3, { expectedPods: 3, desiredHealthy: 0, currentHealthy: 3, disruptionsAllowed: 3 }],
    ['maxUnavailable 0 allows nothing', { maxUnavailable: 0 }, 3, { expectedPods: 3, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 }],
  ] as const)('%s', (_name, spec, scale, want) => {
    const res = computePdbStatus(pdb(spec), three, scales({ rs: scale }), NOW);
    expect(res.status).toMatchObject({ ...want, observedGeneration: 3 });
    const cond = res.status.conditions?.find((c) => c.type === 'DisruptionAllowed');
    expect(cond).toMatchObject(want.disruptionsAllowed > 0
      ? { status: 'True', reason: 'SufficientPods', observedGeneration: 3 }
      : { status: 'False', reason: 'InsufficientPods', observedGeneration: 3 });
    expect(res.status.disruptedPods).toBeUndefined();
  });

  it('counts only Ready pods that are not terminating', () => {
    const pods = [pod('a', { owner: 'rs' }), pod('b', { owner: 'rs', ready: false }), pod('c', { owner: 'rs', terminating: true })];
    expect(computePdbStatus(pdb({ minAvailable: 1 }), pods, scales({ rs: 3 }), NOW).status)
      .toMatchObject({ currentHealthy: 1, desiredHealthy: 1, expectedPods: 3, disruptionsAllowed: 0 });
  });

  it('sums each controller once: pods of two ReplicaSets', () => {
    const pods = [...three, pod('d', { owner: 'rs2' })];
    expect(computePdbStatus(pdb({ maxUnavailable: '50%' }), pods, scales({ rs: 3, rs2: 5 }), NOW).status)
      .toMatchObject({ expectedPods: 8, desiredHealthy: 4, currentHealthy: 4, disruptionsAllowed: 0 });
  });

  it('bare pods: an int minAvailable works, and they are reported as unmanaged with percents', () => {
    const bare = [pod('a'), pod('b')];
    const intRes = computePdbStatus(pdb({ minAvailable: 1 }), bare, scales({}), NOW);
    expect(intRes.status).toMatchObject({ expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 });
    expect(intRes.unmanagedPods).toEqual([]);
    const pctRes = computePdbStatus(pdb({ maxUnavailable: '50%' }), bare, scales({}), NOW);
    expect(pctRes.unmanagedPods).toEqual(['a', 'b']);
    expect(pctRes.status).toMatchObject({ expectedPods: 0, disruptionsAllowed: 0 });
  });

  it('throws a sync error naming the pod when its controller is gone', () => {
    expect(() => computePdbStatus(pdb({ maxUnavailable: 1 }), three, scales({}), NOW)).toThrow(PdbSyncError);
    expect(() => computePdbStatus(pdb({ maxUnavailable: 1 }), three, scales({}), NOW)).toThrow('found no controllers for pod "a"');
  });

  it('allows nothing while no pod is expected', () => {
    expect(computePdbStatus(pdb({ minAvailable: 0 }), [], scales({}), NOW).status).toMatchObject({ expectedPods: 0, disruptionsAllowed: 0 });
  });

  it('keeps fresh disruptedPods entries of live pods, drops stale, deleted and terminating ones, and says when to recheck', () => {
    const fresh = iso(NOW - 30_000);
    const stale = iso(NOW - DELETION_TIMEOUT_MS - 1000);
    const pods = [pod('a', { owner: 'rs' }), pod('b', { owner: 'rs' }), pod('c', { owner: 'rs', terminating: true }), pod('d', { owner: 'rs' })];
    const res = computePdbStatus(pdb({ minAvailable: 1 }, { disruptedPods: { a: fresh, b: stale, c: fresh, gone: fresh } }), pods, scales({ rs: 4 }), NOW);
    expect(res.status.disruptedPods).toEqual({ a: fresh });
    // a is on its way out, c terminating: b and d count
    expect(res.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1 });
    expect(res.recheckAtMs).toBe(Date.parse(fresh) + DELETION_TIMEOUT_MS);
  });

  it('moves the condition lastTransitionTime only when its status changes', () => {
    const first = computePdbStatus(pdb({ minAvailable: 2 }), three, scales({}), NOW).status;
    const before = { ...pdb({ minAvailable: 2 }), status: first };
    const again = computePdbStatus(before, three, scales({}), NOW + 60_000).status;
    expect(again.conditions?.[0]?.lastTransitionTime).toBe(first.conditions?.[0]?.lastTransitionTime);
    expect(sameStatus(first, again)).toBe(true);
    const flipped = computePdbStatus({ ...before, spec: { ...before.spec, minAvailable: 3 } }, three, scales({}), NOW + 60_000).status;
    expect(flipped.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods', lastTransitionTime: iso(NOW + 60_000) });
    expect(sameStatus(first, flipped)).toBe(false);
  });

  it('sees a stale observedGeneration or a missing condition as a change', () => {
    const st = computePdbStatus(pdb({ minAvailable: 2 }), three, scales({}), NOW).status;
    expect(sameStatus({ ...st, observedGeneration: 2 }, st)).toBe(false);
    expect(sameStatus({ ...st, conditions: [] }, st)).toBe(false);
    expect(sameStatus(undefined, st)).toBe(false);
  });
});
