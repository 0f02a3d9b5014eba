import { describe, expect, it } from 'vitest';
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { findMatchingVolume, mismatch } from './volume-match.js';

const pv = (name: string, size: string, o: Partial<NonNullable<PersistentVolume['spec']>> & { phase?: string; labels?: Record<string, string> } = {}): PersistentVolume => {
  const { phase, labels, ...spec } = o;
  return {
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', ...spec },
    status: { phase: phase ?? 'Available' },
  };
};
const pvc = (spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}, uid = 'u1'): PersistentVolumeClaim => ({
  metadata: { name: 'c', namespace: 'ns', uid },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'manual', resources: { requests: { storage: '1Gi' } }, ...spec },
});
const node = (name: string): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const pinned = (n: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [n] }] }] } });

describe('findMatchingVolume', () => {
  it('takes the smallest Available volume that is large enough', () => {
    const got = findMatchingVolume(pvc(), [pv('big', '10Gi'), pv('small', '500Mi'), pv('fit', '2Gi'), pv('exact', '1Gi')]);
    expect(got?.metadata?.name).toBe('exact');
  });

  it.each([
    ['another class', pv('v', '5Gi', { storageClassName: 'fast' }), 'storage class differs'],
    ['missing access mode', pv('v', '5Gi', { accessModes: ['ReadOnlyMany'] }), 'access modes differ'],
    ['too small', pv('v', '999Mi'), 'capacity too small'],
    ['block volume', pv('v', '5Gi', { volumeMode: 'Block' }), 'volume mode differs'],
    ['selector', pv('v', '5Gi', { labels: { tier: 'b' } }), 'selector does not match'],
  ])('refuses %s', (_n, volume, why) => {
    const claim = pvc({ selector: { matchLabels: { tier: 'a' } } });
    if (why !== 'selector does not match') delete claim.spec!.selector;
    expect(mismatch(volume, claim)).toBe(why);
    expect(findMatchingVolume(claim, [volume])).toBeUndefined();
  });

  it('skips volumes that are not Available, claimed by another claim or being deleted', () => {
    const other = pv('other', '1Gi', { claimRef: { namespace: 'ns', name: 'x', uid: 'u9' } });
    const released = pv('rel', '1Gi', { phase: 'Released' });
    const deleting: PersistentVolume = { ...pv('del', '1Gi'), metadata: { name: 'del', deletionTimestamp: '2026-01-01T00:00:00Z' } };
    expect(findMatchingVolume(pvc(), [other, released, deleting])).toBeUndefined();
  });

  it('a volume pre-bound to the claim wins over a smaller one; volumeName restricts the choice', () => {
    const pre = pv('pre', '5Gi', { claimRef: { namespace: 'ns', name: 'c' } });
    expect(findMatchingVolume(pvc(), [pv('small', '1Gi'), pre])?.metadata?.name).toBe('pre');
    expect(findMatchingVolume(pvc({ volumeName: 'b' }), [pv('a', '1Gi'), pv('b', '3Gi')])?.metadata?.name).toBe('b');
  });

  it('delayed binding: without a node only pre-bound volumes; with one, only volumes whose affinity admits it', () => {
    const vols = [pv('on-a', '1Gi', { nodeAffinity: pinned('a') }), pv('on-b', '2Gi', { nodeAffinity: pinned('b') })];
    expect(findMatchingVolume(pvc(), vols, { delayBinding: true })).toBeUndefined();
    expect(findMatchingVolume(pvc(), vols, { delayBinding: true, node: node('b') })?.metadata?.name).toBe('on-b');
    expect(findMatchingVolume(pvc(), vols, { delayBinding: true, node: node('c') })).toBeUndefined();
    expect(findMatchingVolume(pvc(), vols, { delayBinding: true, node: node('b'), taken: new Set(['on-b']) })).toBeUndefined();
  });
});
