import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { cycleState, makeNode, makePod, nodeInfo } from '../testing/fixtures.js';
import { volumeBindingPlugin } from './volume-binding.js';
import type { VolumeLister } from './volume-binding.js';

const pinned = (n: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [n] }] }] } });
const claim = (name: string, cls: string, volumeName?: string): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default', uid: `u-${name}` },
  spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(volumeName ? { volumeName } : {}) },
});
const pv = (name: string, node: string, cls = 'manual'): PersistentVolume => ({
  metadata: { name }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: cls, nodeAffinity: pinned(node) }, status: { phase: 'Available' },
});
const classes: StorageClass[] = [
  { metadata: { name: 'local-path' }, provisioner: 'tinykube.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'now' }, provisioner: 'x.io/y', volumeBindingMode: 'Immediate' },
];
const lister = (claims: PersistentVolumeClaim[], volumes: PersistentVolume[]): VolumeLister => ({
  claim: (_ns, n) => claims.find((c) => c.metadata?.name === n),
  volume: (n) => volumes.find((v) => v.metadata?.name === n),
  volumes: () => volumes,
  storageClass: (n) => classes.find((c) => c.metadata?.name === n),
  assumed: () => new Set(),
});
const withClaims = (...names: string[]): Pod => {
  const p = makePod('p');
  return { ...p, spec: { ...p.spec!, volumes: names.map((n) => ({ name: n, persistentVolumeClaim: { claimName: n } })) } };
};

function run(l: VolumeLister, pod: Pod, node: string) {
  const plugin = volumeBindingPlugin(l);
  const state = cycleState(pod);
  const pre = plugin.preFilter(state, pod);
  if (pre) return pre;
  if (state.skipFilterPlugins.has(plugin.name)) return undefined;
  return plugin.filter(state, pod, nodeInfo(makeNode(node)));
}

describe('VolumeBinding', () => {
  it('skips pods without claims', () => {
    const plugin = volumeBindingPlugin(lister([], []));
    const state = cycleState(makePod('p'));
    expect(plugin.preFilter(state, makePod('p'))).toBeUndefined();
    expect(state.skipFilterPlugins.has('VolumeBinding')).toBe(true);
  });

  it.each([
    ['a missing claim', [], [], 'persistentvolumeclaim "d" not found'],
    ['an unbound Immediate claim', [claim('d', 'now')], [], 'pod has unbound immediate PersistentVolumeClaims'],
    ['a bound claim whose PV is missing', [claim('d', 'manual', 'gone')], [], 'pvc(s) bound to non-existent pv(s)'],
  ])('refuses %s on every node', (_n, claims, volumes, reason) => {
    const st = run(lister(claims, volumes), withClaims('d'), 'n1');
    expect(st?.reasons).toEqual([reason]);
    expect(st?.code).toBe('UnschedulableAndUnresolvable');
  });

  it('a bound claim whose PV is pinned fits only that node', () => {
    const l = lister([claim('d', 'manual', 'v')], [pv('v', 'n2')]);
    expect(run(l, withClaims('d'), 'n1')?.reasons).toEqual(['node(s) had volume node affinity conflict']);
    expect(run(l, withClaims('d'), 'n2')).toBeUndefined();
  });

  it('an unbound WaitForFirstConsumer claim fits a node with a matching volume, or any node when its class provisions', () => {
    const l = lister([claim('d', 'manual')], [pv('v', 'n2')]);
    expect(run(l, withClaims('d'), 'n1')?.reasons).toEqual(["node(s) didn't find available persistent volumes to bind"]);
    expect(run(l, withClaims('d'), 'n2')).toBeUndefined();
    expect(run(lister([claim('d', 'local-path')], []), withClaims('d'), 'n1')).toBeUndefined();
  });

  it('two claims of one pod cannot take the same volume', () => {
    const l = lister([claim('a', 'manual'), claim('b', 'manual')], [pv('v', 'n1')]);
    expect(run(l, withClaims('a', 'b'), 'n1')?.reasons).toEqual(["node(s) didn't find available persistent volumes to bind"]);
  });
});
