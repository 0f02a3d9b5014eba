/**
 * The stateful-workload kinds through the real kubectl against the real server: apply, get (the
 * upstream columns), describe, scale, create pdb (a protobuf body), the default StorageClass given to
 * a claim, and bad input refused with upstream's 422 messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';

const MANIFEST = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-path
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: tinykube.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-e2e}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: local-path
  local: {path: /var/lib/tinykube-e2e/pv}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-a]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: tinykube/web:1}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 25%
  selector: {matchLabels: {app: web}}
---
apiVersion: apps/v1
kind: ControllerRevision
metadata: {name: web-manual}
data: {spec: {template: {metadata: {labels: {app: web}}}}}
revision: 1
`;

const header = (out: string): string[] => (out.split('\n')[0] ?? '').trim().split(/\s{2,}/);

describe('stateful kinds with the real kubectl', () => {
  const cp = new TestControlPlane();
  beforeAll(async () => {
    await cp.start();
    await cp.k('apply', '-f', cp.manifest('stateful.yaml', MANIFEST));
  });
  afterAll(async () => { await cp.destroy(); });

  it('gets every kind with upstream columns', async () => {
    expect(header(await cp.k('get', 'pv'))).toEqual(['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    // Pending until the PV controller (when it runs) makes it Available
    expect(await cp.k('get', 'pv', 'pv-e2e', '--no-headers')).toMatch(/^pv-e2e\s+2Gi\s+RWO\s+Retain\s+(Pending|Available)\s+local-path\s+<unset>\s+\d+s\n$/);
    expect(header(await cp.k('get', 'pv', '-o', 'wide')).at(-1)).toBe('VOLUMEMODE');
    expect(header(await cp.k('get', 'pvc'))).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(await cp.k('get', 'pvc', 'data', '--no-headers')).toMatch(/^data\s+Pending\s+local-path\s+<unset>\s+\d+s\n$/);
    expect(await cp.k('get', 'sc')).toMatch(/^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\nlocal-path \(default\)\s+tinykube.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\d+s\n$/);
    expect(header(await cp.k('get', 'sts', '-o', 'wide'))).toEqual(['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES']);
    expect(await cp.k('get', 'sts', 'web', '--no-headers', '-o', 'wide')).toMatch(/^web\s+0\/2\s+\d+s\s+web\s+tinykube\/web:1\n$/);
    expect(await cp.k('get', 'pdb')).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb\s+N\/A\s+25%\s+0\s+\d+s\n$/);
    expect(await cp.k('get', 'controllerrevisions', 'web-manual')).toMatch(/^NAME\s+CONTROLLER\s+REVISION\s+AGE\nweb-manual\s+<none>\s+1\s+\d+s\n$/);
    const all = await cp.k('get', 'pv,pvc,sc,sts,pdb,controllerrevisions');
    for (const name of ['persistentvolume/pv-e2e', 'persistentvolumeclaim/data', 'storageclass.storage.k8s.io/local-path', 'statefulset.apps/web',
      'poddisruptionbudget.policy/web', 'controllerrevision.apps/web-manual']) expect(all).toContain(name);
  });

  it('gives the claim the default class and the StatefulSet its defaults', async () => {
    expect(await cp.k('get', 'pvc', 'data', '-o', 'jsonpath={.spec.storageClassName} {.spec.volumeMode} {.status.phase}')).toBe('local-path Filesystem Pending');
    expect(await cp.k('get', 'sts', 'web', '-o', 'jsonpath={.spec.podManagementPolicy} {.spec.updateStrategy.rollingUpdate.partition} {.spec.persistentVolumeClaimRetentionPolicy.whenScaled} {.spec.revisionHistoryLimit}'))
      .toBe('OrderedReady 0 Retain 10');
  });

  it('lists them in api-resources, explains them and counts sts in get all', async () => {
    const ar = await cp.k('api-resources');
    for (const re of [/persistentvolumes\s+pv\s+v1\s+false\s+PersistentVolume/, /persistentvolumeclaims\s+pvc\s+v1\s+true\s+PersistentVolumeClaim/,
      /statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet/, /controllerrevisions\s+apps\/v1\s+true\s+ControllerRevision/,
      /poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget/, /storageclasses\s+sc\s+storage.k8s.io\/v1\s+false\s+StorageClass/]) {
      expect(ar).toMatch(re);
    }
    expect(await cp.k('explain', 'sts.spec.podManagementPolicy')).toContain('podManagementPolicy');
    expect(await cp.k('get', 'all')).toContain('statefulset.apps/web');
  });

  it('describes them', async () => {
    expect(await cp.k('describe', 'pvc', 'data')).toMatch(/StorageClass:\s+local-path/);
    expect(await cp.k('describe', 'pv', 'pv-e2e')).toMatch(/Reclaim Policy:\s+Retain/);
    expect(await cp.k('describe', 'sts', 'web')).toMatch(/Replicas:\s+2 desired/);
    expect(await cp.k('describe', 'sc', 'local-path')).toMatch(/IsDefaultClass:\s+Yes/);
    expect(await cp.k('describe', 'pdb', 'web')).toMatch(/Max unavailable:\s+25%/);
  });

  it('scales a StatefulSet through /scale', async () => {
    expect(await cp.k('scale', 'sts', 'web', '--replicas=3')).toContain('statefulset.apps/web scaled');
    expect(await cp.k('get', 'sts', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}')).toBe('3 2');
  });

  it('creates a PDB from the generator (a protobuf body)', async () => {
    expect(await cp.k('create', 'poddisruptionbudget', 'gen', '--selector=app=web', '--min-available=1')).toContain('poddisruptionbudget.policy/gen created');
    expect(await cp.k('get', 'pdb', 'gen', '-o', 'jsonpath={.spec.minAvailable} {.spec.selector.matchLabels.app}')).toBe('1 web');
  });

  it('refuses bad input with upstream 422 messages and stores nothing', async () => {
    const mismatch = cp.manifest('bad-sts.yaml', 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: bad}\nspec:\n  serviceName: bad\n  selector: {matchLabels: {app: other}}\n'
      + '  template:\n    metadata: {labels: {app: bad}}\n    spec: {containers: [{name: c, image: tinykube/web:1}]}\n');
    const r = await cp.kubectl(['apply', '-f', mismatch]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The StatefulSet "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`');
    expect((await cp.kubectl(['get', 'sts', 'bad'])).stderr).toContain('not found');

    const fixed = await cp.kubectl(['patch', 'sts', 'web', '-p', '{"spec":{"serviceName":"other"}}']);
    expect(fixed.stderr).toContain("The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");

    const both = await cp.kubectl(['create', 'poddisruptionbudget', 'both', '--selector=app=web', '--min-available=1', '--max-unavailable=1']);
    expect(both.code).not.toBe(0);
    const pdb = cp.manifest('bad-pdb.yaml', 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: both}\nspec: {minAvailable: 1, maxUnavailable: 1}\n');
    expect((await cp.kubectl(['apply', '-f', pdb])).stderr).toMatch(/The PodDisruptionBudget "both" is invalid: spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set/);

    const pvc = cp.manifest('bad-pvc.yaml', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: nosize}\nspec: {accessModes: [ReadWriteOnce]}\n');
    expect((await cp.kubectl(['apply', '-f', pvc])).stderr).toContain('The PersistentVolumeClaim "nosize" is invalid: spec.resources[storage]: Required value');
    expect((await cp.kubectl(['get', 'pvc', 'nosize'])).stderr).toContain('not found');

    const grow = await cp.kubectl(['patch', 'pvc', 'data', '-p', '{"spec":{"resources":{"requests":{"storage":"5Gi"}}}}']);
    expect(grow.stderr).toContain('The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');

    const sc = await cp.kubectl(['patch', 'sc', 'local-path', '-p', '{"provisioner":"other.io/x"}']);
    expect(sc.stderr).toContain('The StorageClass "local-path" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.');

    const local = cp.manifest('bad-pv.yaml', 'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: nolocal}\nspec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], local: {path: /x}}\n');
    expect((await cp.kubectl(['apply', '-f', local])).stderr).toContain('The PersistentVolume "nolocal" is invalid: spec.nodeAffinity: Required value: Local volume requires node affinity');
  });
});
