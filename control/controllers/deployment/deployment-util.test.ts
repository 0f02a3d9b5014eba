import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import {
  fenceposts, maxRevision, maxUnavailable, newRSNewReplicas, proportion, revisionOf, scaledValue, setNewReplicaSetAnnotations,
} from './deployment-util.js';

const dep = (replicas: number, maxSurge?: number | string, maxUnavailable?: number | string, annotations: Record<string, string> = {}): Deployment => ({
  metadata: { name: 'd', annotations },
  spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
});
const rs = (replicas: number, annotations: Record<string, string> = {}): ReplicaSet => ({ metadata: { name: `rs${replicas}`, annotations }, spec: { replicas, selector: {} } });

describe('deployment util', () => {
  it.each([
    [10, '25%', '25%', [3, 2]],
    [3, '25%', '25%', [1, 0]],
    [1, 0, 0, [0, 1]],
    [4, 2, '50%', [2, 2]],
  ] as const)('fenceposts(%i, %s, %s) = %j', (replicas, surge, unavailable, want) => {
    expect(fenceposts(dep(replicas, surge, unavailable))).toEqual(want);
  });

  it('scales percentages like intstr and caps unavailable at replicas', () => {
    expect(scaledValue('33%', 10, true)).toBe(4);
    expect(scaledValue('33%', 10, false)).toBe(3);
    expect(maxUnavailable(dep(2, 0, 5))).toBe(2);
  });

  it('grows the new ReplicaSet only within maxSurge', () => {
    const d = dep(4, 1, 0);
    expect(newRSNewReplicas(d, [rs(4), rs(0)], rs(0))).toBe(1);
    expect(newRSNewReplicas(d, [rs(4), rs(1)], rs(1))).toBe(1);
    expect(newRSNewReplicas(d, [rs(3), rs(1)], rs(1))).toBe(2);
  });

  it('splits a resize proportionally to the max-replicas annotation', () => {
    // 10 replicas (+3 surge) spread 8/5; scaled to 20 (+5 surge): 13 -> 25
    const d = dep(20, '25%', '25%');
    const a = rs(8, { 'deployment.kubernetes.io/max-replicas': '13' });
    const b = rs(5, { 'deployment.kubernetes.io/max-replicas': '13' });
    const pa = proportion(a, d, 12, 0);
    const pb = proportion(b, d, 12, pa);
    expect([pa, pb]).toEqual([7, 5]);
  });

  it('raises a reused ReplicaSet to the new revision and keeps its history', () => {
    const d = dep(1, 1, 0, { 'kubernetes.io/change-cause': 'undo', 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
    const old = rs(0, { 'deployment.kubernetes.io/revision': '1' });
    expect(setNewReplicaSetAnnotations(d, old, 3n, true)).toBe(true);
    expect(old.metadata?.annotations).toEqual({
      'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1', 'kubernetes.io/change-cause': 'undo',
    });
    const fresh = rs(0);
    setNewReplicaSetAnnotations(d, fresh, 1n, false);
    expect(fresh.metadata?.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '1', 'deployment.kubernetes.io/max-replicas': '2' });
  });

  it('reads revisions as int64, past 2^53 (the conformance RollingUpdateDeployment spec sets 3546343826724305833)', () => {
    const big = rs(1, { 'deployment.kubernetes.io/revision': '3546343826724305833' });
    expect(maxRevision([rs(0, { 'deployment.kubernetes.io/revision': '2' }), big]) + 1n).toBe(3546343826724305834n);
    const next = rs(0);
    setNewReplicaSetAnnotations(dep(1, 1, 0), next, maxRevision([big]) + 1n, false);
    expect(next.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3546343826724305834');
    expect(revisionOf(rs(0, { 'deployment.kubernetes.io/revision': 'x1' }))).toBe(0n);
  });
});
