import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { accessModesString, persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage-printers.js';
import { controllerRevisionPrinter, statefulSetPrinter } from './apps-printers.js';
import { podDisruptionBudgetPrinter } from './policy-printers.js';

const ctx = { now: new Date('2024-01-01T12:00:00Z') };
const asObj = (o: object): KubeObject => o as KubeObject;
const meta = (name: string, extra: object = {}) => ({ name, creationTimestamp: '2024-01-01T11:50:00Z', ...extra });
const names = (p: { columns: ReadonlyArray<{ name: string; priority: number }> }) => p.columns.map((c) => `${c.name}:${c.priority}`);

describe('storage printers', () => {
  it('abbreviates access modes in upstream order, once each', () => {
    expect(accessModesString(['ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteOnce', 'ReadOnlyMany'])).toBe('RWO,ROX,RWOP');
    expect(accessModesString(undefined)).toBe('');
  });

  it('prints a bound PV with its claim, class and wide volume mode', () => {
    const pv = {
      metadata: meta('pv1'),
      spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'local-path',
        claimRef: { namespace: 'default', name: 'data' }, volumeMode: 'Filesystem', hostPath: { path: '/x' } },
      status: { phase: 'Bound' },
    };
    expect(persistentVolumePrinter.row(asObj(pv), ctx).cells).toEqual(['pv1', '5Gi', 'RWO', 'Retain', 'Bound', 'default/data', 'local-path', '<unset>', '', '10m', 'Filesystem']);
    expect(names(persistentVolumePrinter)).toEqual(['Name:0', 'Capacity:0', 'Access Modes:0', 'Reclaim Policy:0', 'Status:0', 'Claim:0', 'StorageClass:0',
      'VolumeAttributesClass:0', 'Reason:0', 'Age:0', 'VolumeMode:1']);
  });

  it('prints Terminating for a PV being deleted and the beta class annotation over the spec', () => {
    const pv = { metadata: meta('pv2', { deletionTimestamp: '2024-01-01T11:59:00Z', annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } }),
      spec: { storageClassName: 'new' }, status: { phase: 'Released' } };
    const cells = persistentVolumePrinter.row(asObj(pv), ctx).cells;
    expect(cells[4]).toBe('Terminating');
    expect(cells[6]).toBe('old');
    expect(cells[1]).toBe('0');
  });

  it('prints a pending claim without capacity, and a bound one with the volume\'s', () => {
    const pending = { metadata: meta('data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path' }, status: { phase: 'Pending' } };
    expect(persistentVolumeClaimPrinter.row(asObj(pending), ctx).cells).toEqual(['data', 'Pending', '', '', '', 'local-path', '<unset>', '10m', '<unset>']);
    const bound = { metadata: meta('data'), spec: { volumeName: 'pv1', volumeMode: 'Filesystem' }, status: { phase: 'Bound', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce', 'ReadWriteMany'] } };
    expect(persistentVolumeClaimPrinter.row(asObj(bound), ctx).cells).toEqual(['data', 'Bound', 'pv1', '5Gi', 'RWO,RWX', '', '<unset>', '10m', 'Filesystem']);
    expect(names(persistentVolumeClaimPrinter)).toEqual(['Name:0', 'Status:0', 'Volume:0', 'Capacity:0', 'Access Modes:0', 'StorageClass:0',
      'VolumeAttributesClass:0', 'Age:0', 'VolumeMode:1']);
  });

  it('marks the default StorageClass in its name', () => {
    const sc = { metadata: meta('local-path', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }), provisioner: 'tinykube.io/local-path',
      reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
    expect(storageClassPrinter.row(asObj(sc), ctx).cells).toEqual(['local-path (default)', 'tinykube.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '10m']);
    expect(storageClassPrinter.row(asObj({ metadata: meta('x'), provisioner: 'p', allowVolumeExpansion: true }), ctx).cells)
      .toEqual(['x', 'p', 'Delete', 'Immediate', true, '10m']);
  });
});

describe('stateful workload printers', () => {
  it('prints a StatefulSet as ready/desired with wide containers and images', () => {
    const sts = { metadata: meta('web'), spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'tinykube/web:1' }] } } }, status: { readyReplicas: 2 } };
    expect(statefulSetPrinter.row(asObj(sts), ctx).cells).toEqual(['web', '2/3', '10m', 'c', 'tinykube/web:1']);
    expect(names(statefulSetPrinter)).toEqual(['Name:0', 'Ready:0', 'Age:0', 'Containers:1', 'Images:1']);
  });

  it('prints a ControllerRevision with its controller as kind.group/name', () => {
    const cr = { metadata: meta('web-5c9d', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }), revision: 2 };
    expect(controllerRevisionPrinter.row(asObj(cr), ctx).cells).toEqual(['web-5c9d', 'statefulset.apps/web', 2, '10m']);
    expect(controllerRevisionPrinter.row(asObj({ metadata: meta('lone'), revision: 1 }), ctx).cells[1]).toBe('<none>');
  });

  it('prints a PDB with N/A for the bound it does not set', () => {
    const pdb = { metadata: meta('db'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } };
    expect(podDisruptionBudgetPrinter.row(asObj(pdb), ctx).cells).toEqual(['db', '50%', 'N/A', 1, '10m']);
    expect(podDisruptionBudgetPrinter.row(asObj({ metadata: meta('m'), spec: { maxUnavailable: 1 } }), ctx).cells).toEqual(['m', 'N/A', '1', 0, '10m']);
  });
});
