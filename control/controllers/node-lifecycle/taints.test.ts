import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { toleratesTaint } from '../../api/tolerations.js';
import { evictionTime, reconcileTaints } from './taints.js';

const now = new Date(Date.UTC(2026, 0, 1));
const node = (ready: string, taints: Taint[] = [], extra: Partial<Node['spec']> = {}): Node => ({
  metadata: { name: 'n' }, spec: { taints, ...extra }, status: { conditions: [{ type: 'Ready', status: ready }, { type: 'MemoryPressure', status: 'False' }] },
});

describe('reconcileTaints', () => {
  it('adds unreachable / not-ready taints and swaps them', () => {
    expect(reconcileTaints(node('Unknown'), { now, noExecute: true })).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
    ]);
    const unreachable = reconcileTaints(node('Unknown'), { now, noExecute: true })!;
    expect(reconcileTaints(node('False', [{ key: 'user', effect: 'NoSchedule' }, ...unreachable]), { now, noExecute: true })).toEqual([
      { key: 'user', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('removes them when healthy, leaves others alone, mirrors cordon, and does nothing when in line', () => {
    const t = reconcileTaints(node('Unknown'), { now, noExecute: true })!;
    expect(reconcileTaints(node('True', [...t, { key: 'x', effect: 'NoExecute' }]), { now, noExecute: true })).toEqual([{ key: 'x', effect: 'NoExecute' }]);
    expect(reconcileTaints(node('True'), { now, noExecute: true })).toBeUndefined();
    expect(reconcileTaints(node('True', [], { unschedulable: true }), { now, noExecute: true })).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    expect(reconcileTaints(node('Unknown', t), { now, noExecute: false })).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
  });
});

describe('evictionTime', () => {
  const taint: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const pod = (tolerations: NonNullable<Pod['spec']>['tolerations']): Pod => ({ spec: { containers: [], tolerations } });
  it('is now without a toleration, after tolerationSeconds with one, never when tolerated forever', () => {
    expect(evictionTime(pod([]), [taint], () => 1000)).toBe(1000);
    expect(evictionTime(pod([{ key: taint.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }]), [taint], () => 1000)).toBe(3000);
    expect(evictionTime(pod([{ operator: 'Exists' }]), [taint], () => 1000)).toBeUndefined();
    expect(evictionTime(pod([{ operator: 'Exists' }]), [{ key: 'k', effect: 'NoSchedule' }], () => 1000)).toBeUndefined();
    expect(toleratesTaint({ key: 'k', operator: 'Equal', value: 'v' }, { key: 'k', value: 'w', effect: 'NoExecute' })).toBe(false);
  });
});
