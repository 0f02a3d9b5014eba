import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { validate } from './validate.js';

type Obj = Record<string, unknown>;
const msgs = (kind: string, o: Obj, old?: Obj): string[] => validate(kind, o, old).map((e) => `${e.field}: ${e.message}`);
const defaulted = (kind: string, o: Obj): Obj => {
  const c = structuredClone(o);
  applyDefaults(kind, c);
  return c;
};

const sts = (spec: Obj = {}, name = 'web'): Obj => defaulted('StatefulSet', {
  metadata: { name, namespace: 'default' },
  spec: { serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, ...spec },
});

describe('StatefulSet defaults', () => {
  it('fills upstream 1.32 defaults', () => {
    expect(sts()['spec']).toMatchObject({
      replicas: 1, revisionHistoryLimit: 10, podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  });
  it('makes no rollingUpdate when the type was given, and none for OnDelete', () => {
    expect((sts({ updateStrategy: { type: 'RollingUpdate' } })['spec'] as Obj)['updateStrategy']).toEqual({ type: 'RollingUpdate' });
    expect((sts({ updateStrategy: { type: 'OnDelete' } })['spec'] as Obj)['updateStrategy']).toEqual({ type: 'OnDelete' });
  });
});

describe('StatefulSet validation', () => {
  it('accepts a defaulted StatefulSet', () => {
    expect(msgs('StatefulSet', sts())).toEqual([]);
  });
  it('names the pods, so the name must be a DNS label', () => {
    expect(msgs('StatefulSet', sts({}, 'a.b'))).toEqual(['metadata.name: Invalid value: "a.b": must not contain dots']);
  });
  it('checks policies, strategy and retention with upstream messages', () => {
    const bad = sts({ podManagementPolicy: 'Sometimes', updateStrategy: { type: 'Later' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Retain' }, replicas: -1 });
    expect(msgs('StatefulSet', bad)).toEqual([
      'spec.podManagementPolicy: Invalid value: "Sometimes": must be \'OrderedReady\' or \'Parallel\'',
      'spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Later", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be \'RollingUpdate\' or \'OnDelete\'',
      'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
  it('refuses rollingUpdate with OnDelete, a negative partition and an empty selector', () => {
    expect(msgs('StatefulSet', sts({ updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } })))
      .toEqual(["spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"]);
    expect(msgs('StatefulSet', sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -2 } } })))
      .toEqual(['spec.updateStrategy.rollingUpdate.partition: Invalid value: -2: must be greater than or equal to 0']);
    expect(msgs('StatefulSet', sts({ selector: {} })))
      .toEqual(['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset']);
  });
  it('allows replicas, template, strategy, retention, minReadySeconds and ordinals to change, nothing else', () => {
    const old = sts();
    const ok = sts({ replicas: 5, minReadySeconds: 3, ordinals: { start: 1 }, updateStrategy: { type: 'OnDelete' },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'j' }] } } });
    expect(msgs('StatefulSet', ok, old)).toEqual([]);
    for (const change of [{ serviceName: 'x' }, { podManagementPolicy: 'Parallel' }, { revisionHistoryLimit: 2 },
      { volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: {} }] }, { selector: { matchLabels: { app: 'web', x: 'y' } } }]) {
      expect(msgs('StatefulSet', sts(change), old)).toContain("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
        + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }
  });
});

const pv = (spec: Obj): Obj => defaulted('PersistentVolume', { metadata: { name: 'pv' }, spec });

describe('PersistentVolume validation', () => {
  it('requires capacity, access modes and a source', () => {
    expect(msgs('PersistentVolume', pv({}))).toEqual([
      'spec.accessModes: Required value',
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
  });
  it('checks the access modes, quantities, hostPath type and path', () => {
    expect(msgs('PersistentVolume', pv({ capacity: { storage: '0' }, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce', 'Sometimes'], hostPath: { path: '/a/../b', type: 'Dir' } }))).toEqual([
      'spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
      'spec.hostPath.path: Invalid value: "/a/../b": must not contain \'..\'',
      'spec.hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
    ]);
  });
  it('checks a local PV\'s node affinity', () => {
    const base = { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/a' } };
    expect(msgs('PersistentVolume', pv({ ...base, nodeAffinity: { required: { nodeSelectorTerms: [] } } })))
      .toEqual(['spec.nodeAffinity.required.nodeSelectorTerms: Required value: must have at least one node selector term']);
    expect(msgs('PersistentVolume', pv({ ...base, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' }] }] } } })))
      .toEqual(["spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]);
    expect(msgs('PersistentVolume', pv({ ...base, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } } })))
      .toEqual([]);
  });
  it('defaults Retain, Filesystem and a Pending status', () => {
    expect(pv({ hostPath: { path: '/x' } })).toMatchObject({ spec: { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { type: '' } }, status: { phase: 'Pending' } });
  });
});

describe('StorageClass and PodDisruptionBudget validation', () => {
  it('defaults a StorageClass and requires a qualified provisioner', () => {
    const sc = defaulted('StorageClass', { metadata: { name: 'x' }, provisioner: 'not a name' });
    expect(sc).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(msgs('StorageClass', sc)[0]).toMatch(/^provisioner: Invalid value: "not a name": name part must consist of alphanumeric characters/);
    expect(msgs('StorageClass', { ...sc, provisioner: 'a.io/b', reclaimPolicy: 'Recycle' })).toEqual(['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']);
  });
  it('checks a PDB\'s bounds and selector', () => {
    const pdb = (spec: Obj): Obj => ({ metadata: { name: 'p', namespace: 'default' }, spec });
    expect(msgs('PodDisruptionBudget', pdb({ minAvailable: -1 }))).toEqual(['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
    expect(msgs('PodDisruptionBudget', pdb({ maxUnavailable: 'lots' }))[0]).toMatch(/^spec.maxUnavailable: Invalid value: lots: a valid percent string must be/);
    expect(msgs('PodDisruptionBudget', pdb({ minAvailable: '100%', selector: { matchLabels: { app: 'web' } } }))).toEqual([]);
    expect(msgs('PodDisruptionBudget', { metadata: { name: 'a/b', namespace: 'default' }, spec: {} })).toEqual(["metadata.name: Invalid value: \"a/b\": may not contain '/'"]);
  });
});

describe('PersistentVolumeClaim data sources', () => {
  const claim = (spec: Obj): Obj => defaulted('PersistentVolumeClaim', { metadata: { name: 'c', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } });
  it('wants a named kind, a PVC when there is no API group, and dataSource matching dataSourceRef', () => {
    expect(msgs('PersistentVolumeClaim', claim({ dataSource: { kind: 'Secret' } }))).toEqual([
      'spec.dataSource.name: Required value',
      'spec.dataSource.kind: Invalid value: "Secret": must be \'PersistentVolumeClaim\' when referencing the default apiGroup',
    ]);
    expect(msgs('PersistentVolumeClaim', claim({ dataSource: { kind: 'PersistentVolumeClaim', name: 'a' }, dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'b' } })))
      .toEqual(['spec: Invalid value: spec.dataSource: must match dataSourceRef']);
    expect(msgs('PersistentVolumeClaim', claim({ dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 's' } }))).toEqual([]);
  });
});
