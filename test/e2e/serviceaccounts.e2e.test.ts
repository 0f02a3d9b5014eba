/**
 * ServiceAccounts with the real server and kubectl: every namespace gets `default` and
 * `kube-root-ca.crt` at once (and again when they are removed or changed), `kubectl create sa`,
 * `get sa`, `describe sa`, and the ServiceAccount admission step for pods (the name, the
 * kube-api-access volume and mounts, automountServiceAccountToken, 403 for a missing account).
 * No agent: the pods need not run for any of this.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { rawRequest } from '../helpers/https-client.js';

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

describe('ServiceAccounts, the root CA ConfigMap and pod admission', () => {
  const cp = new TestControlPlane();
  const get = (path: string) => rawRequest({ url: cp.url, token: cp.token, ca: cp.caCert, method: 'GET', path });
  const exists = async (path: string) => { const r = await get(path); expect(r.status, r.body).toBe(200); return r.json(); };
  const podYaml = (name: string, spec = '') => cp.manifest(`${name}.yaml`,
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  ${spec}\n  containers: [{name: c, image: tinykube/busybox:1, command: [sleep, '3600']}]\n`);

  beforeAll(async () => { await cp.start(); });
  afterAll(async () => { await cp.destroy(); });

  it('a new namespace has default and kube-root-ca.crt (the cluster CA) within a second', async () => {
    await eventually(() => exists('/api/v1/namespaces/default/serviceaccounts/default'), { timeoutMs: 10_000, intervalMs: 100 });
    expect(await cp.k('create', 'namespace', 'sa-e2e')).toContain('namespace/sa-e2e created');
    const t0 = Date.now();
    await eventually(() => exists('/api/v1/namespaces/sa-e2e/serviceaccounts/default'), { timeoutMs: 1000, intervalMs: 20 });
    const cm = await eventually(() => exists('/api/v1/namespaces/sa-e2e/configmaps/kube-root-ca.crt'), { timeoutMs: 1000, intervalMs: 20 }) as { data?: Record<string, string> };
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(cm.data).toEqual({ 'ca.crt': readFileSync(join(cp.pkiDir, 'ca.crt'), 'utf8') });
    for (const ns of ['kube-system', 'kube-public', 'kube-node-lease']) {
      expect((await cp.k('get', 'sa', 'default', '-n', ns, '-o', 'name')).trim()).toBe('serviceaccount/default');
      expect((await cp.k('get', 'cm', 'kube-root-ca.crt', '-n', ns, '-o', 'name')).trim()).toBe('configmap/kube-root-ca.crt');
    }
  });

  it('default comes back when deleted; kube-root-ca.crt is put back when changed or deleted', async () => {
    const uid = await cp.k('get', 'sa', 'default', '-n', 'sa-e2e', '-o', 'jsonpath={.metadata.uid}');
    await cp.k('delete', 'sa', 'default', '-n', 'sa-e2e');
    await eventually(async () => {
      expect(await cp.k('get', 'sa', 'default', '-n', 'sa-e2e', '-o', 'jsonpath={.metadata.uid}')).not.toBe(uid);
    }, { timeoutMs: 10_000, intervalMs: 200 });
    await cp.k('patch', 'cm', 'kube-root-ca.crt', '-n', 'sa-e2e', '--type=merge', '-p', '{"data":{"ca.crt":"forged"}}');
    await eventually(async () => {
      expect(await cp.k('get', 'cm', 'kube-root-ca.crt', '-n', 'sa-e2e', '-o', 'jsonpath={.data.ca\\.crt}')).toContain('BEGIN CERTIFICATE');
    }, { timeoutMs: 10_000, intervalMs: 200 });
    await cp.k('delete', 'cm', 'kube-root-ca.crt', '-n', 'sa-e2e');
    await eventually(() => exists('/api/v1/namespaces/sa-e2e/configmaps/kube-root-ca.crt'), { timeoutMs: 10_000, intervalMs: 100 });
  });

  it('kubectl create sa, get sa (NAME SECRETS AGE), describe sa', async () => {
    expect((await cp.k('create', 'serviceaccount', 'builder', '-n', 'sa-e2e')).trim()).toBe('serviceaccount/builder created');
    const table = await cp.k('get', 'sa', '-n', 'sa-e2e');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+SECRETS\s+AGE$/);
    expect(table).toMatch(/\nbuilder\s+0\s+\d+s/);
    expect(table).toMatch(/\ndefault\s+0\s+\d+s/);
    const described = await cp.k('describe', 'sa', 'builder', '-n', 'sa-e2e');
    expect(described).toMatch(/Name:\s+builder/);
    expect(described).toMatch(/Namespace:\s+sa-e2e/);
    expect(described).toMatch(/Mountable secrets:\s+<none>/);
    const bad = await cp.kubectl(['create', 'sa', 'Not_Valid', '-n', 'sa-e2e']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('metadata.name: Invalid value: "Not_Valid"');
  });

  it('a pod runs as default and gets the kube-api-access volume, mounted in every container', async () => {
    await cp.k('create', '-n', 'sa-e2e', '-f', cp.manifest('two.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: two}\nspec:\n  initContainers: [{name: i, image: tinykube/busybox:1, command: ["true"]}]\n'
      + '  containers: [{name: a, image: tinykube/busybox:1, command: [sleep, "3600"]}, {name: b, image: tinykube/busybox:1, command: [sleep, "3600"]}]\n'));
    const pod = JSON.parse(await cp.k('get', 'pod', 'two', '-n', 'sa-e2e', '-o', 'json')) as {
      spec: { serviceAccountName: string; serviceAccount: string; volumes: Array<{ name: string; projected: { defaultMode: number; sources: unknown[] } }>;
        containers: Array<{ volumeMounts: unknown[] }>; initContainers: Array<{ volumeMounts: unknown[] }> };
    };
    expect(pod.spec.serviceAccountName).toBe('default');
    expect(pod.spec.serviceAccount).toBe('default');
    const vol = pod.spec.volumes.find((v) => v.name.startsWith('kube-api-access-'));
    expect(vol?.name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(vol?.projected.defaultMode).toBe(420);
    expect(vol?.projected.sources).toEqual([
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ]);
    const mount = { name: vol?.name, readOnly: true, mountPath: MOUNT };
    for (const c of [...pod.spec.containers, ...pod.spec.initContainers]) expect(c.volumeMounts).toEqual([mount]);
    expect(await cp.k('describe', 'pod', 'two', '-n', 'sa-e2e')).toMatch(/Service Account:\s+default/);
  });

  it('automountServiceAccountToken: false on the pod, or on the ServiceAccount unless the pod says true', async () => {
    await cp.k('create', '-n', 'sa-e2e', '-f', podYaml('nomount', 'automountServiceAccountToken: false'));
    expect(await cp.k('get', 'pod', 'nomount', '-n', 'sa-e2e', '-o', 'jsonpath={.spec.serviceAccountName}|{.spec.volumes}|{.spec.containers[0].volumeMounts}')).toBe('default||');
    await cp.k('create', '-n', 'sa-e2e', '-f', cp.manifest('quiet-sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: quiet}\nautomountServiceAccountToken: false\n'));
    await cp.k('create', '-n', 'sa-e2e', '-f', podYaml('quiet', 'serviceAccountName: quiet'));
    expect(await cp.k('get', 'pod', 'quiet', '-n', 'sa-e2e', '-o', 'jsonpath={.spec.serviceAccountName}|{.spec.volumes}')).toBe('quiet|');
    await cp.k('create', '-n', 'sa-e2e', '-f', podYaml('loud', 'serviceAccountName: quiet\n  automountServiceAccountToken: true'));
    expect(await cp.k('get', 'pod', 'loud', '-n', 'sa-e2e', '-o', 'jsonpath={.spec.volumes[0].name}')).toMatch(/^kube-api-access-/);
  });

  it('a pod naming a missing ServiceAccount is refused with 403', async () => {
    const r = await cp.kubectl(['create', '-n', 'sa-e2e', '-f', podYaml('ghostly', 'serviceAccountName: ghost')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (Forbidden)');
    expect(r.stderr).toContain('pods "ghostly" is forbidden: error looking up service account sa-e2e/ghost: serviceaccount "ghost" not found');
    expect((await cp.kubectl(['get', 'pod', 'ghostly', '-n', 'sa-e2e'])).stderr).toContain('pods "ghostly" not found');
  });
});
