import { describe, expect, it } from 'vitest';
import type { Node, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { ANN_LOCAL_PATH_ROOT, isSafeRoot, isSafeVolumeName, localPathOf } from '../../api/storage-names.js';
import { provisionLocalPath } from './local-path-provisioner.js';

const claim = (modes = ['ReadWriteOnce'], uid = '0b6f2c1e-1111-2222-3333-444455556666'): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'default', uid, resourceVersion: '7' },
  spec: { accessModes: modes, resources: { requests: { storage: '2Gi' } }, storageClassName: 'local-path' },
});
const sc: StorageClass = { metadata: { name: 'local-path' }, provisioner: 'tinykube.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
const node = (root: string | undefined): Node => ({ metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' }, ...(root === undefined ? {} : { annotations: { [ANN_LOCAL_PATH_ROOT]: root } }) } });

describe('local-path provisioner', () => {
  it('makes pvc-<uid>: a local PV under the node root, pinned to the node, pre-bound, with the class policy', () => {
    const r = provisionLocalPath(claim(), sc, node('/var/lib/tk/storage'));
    if (!r.ok) throw new Error(r.message);
    const pv = r.pv;
    expect(pv.metadata?.name).toBe('pvc-0b6f2c1e-1111-2222-3333-444455556666');
    expect(pv.spec?.local?.path).toBe('/var/lib/tk/storage/pvc-0b6f2c1e-1111-2222-3333-444455556666');
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]).toEqual({ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] });
    expect(pv.spec?.claimRef).toMatchObject({ namespace: 'default', name: 'data', uid: claim().metadata?.uid });
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.spec?.capacity).toEqual({ storage: '2Gi' });
    expect(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('tinykube.io/local-path');
  });

  it.each([
    ['no node', claim(), undefined, 'no node was specified'],
    ['ReadWriteMany', claim(['ReadWriteMany']), node('/r'), 'ReadWriteMany'],
    ['a node without the root annotation', claim(), node(undefined), 'annotation'],
    ['a relative root', claim(), node('r/x'), 'invalid'],
    ['a root with ..', claim(), node('/r/../etc'), 'invalid'],
    ['a uid that is no name', claim(['ReadWriteOnce'], '../../etc'), node('/r'), 'invalid'],
  ])('refuses %s', (_n, c, n, msg) => {
    const r = provisionLocalPath(c, sc, n as Node | undefined);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(msg);
  });

  it('paths never leave the root whatever the names', () => {
    for (const bad of ['..', '.', 'a/b', '../x', 'A', '', 'x\u0000', '-a', 'a'.repeat(254)]) {
      expect(isSafeVolumeName(bad), bad).toBe(false);
      expect(localPathOf('/r', bad)).toBeUndefined();
    }
    for (const bad of ['', 'r', '/', '/r/', '/r//x', '/r/./x', '/r/../x', '/r\n']) expect(isSafeRoot(bad), bad).toBe(false);
    expect(localPathOf('/var/lib/tk/storage', 'pvc-1.a')).toBe('/var/lib/tk/storage/pvc-1.a');
  });
});
