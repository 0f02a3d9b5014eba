/**
 * Issue 14 items 1 and 2 with the real kubectl and a real agent on Docker: a Deployment's claim on
 * the default class (local-path, WaitForFirstConsumer) is provisioned on the pod's node once the
 * scheduler selected it, its data survives the pod, and its PV and directory go after the claim; a
 * static hostPath PV binds to a matching claim; a readOnly claim refuses writes; an unknown class
 * stays Pending with upstream's event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { TestAgent } from '../helpers/test-agent.js';

const BUSYBOX = 'tinykube/busybox:1';

describe('persistent volumes (local-path provisioner, static hostPath, kubectl, agent on Docker)', () => {
  const cp = new TestControlPlane();
  let agent: TestAgent;
  const hostDir = mkdtempSync(join(tmpdir(), 'tk-pv-host-'));
  beforeAll(async () => {
    await cp.start();
    agent = new TestAgent(cp, { extraArgs: ['--max-backoff', '4s'] });
    await agent.start();
  });
  afterAll(async () => {
    await agent?.destroy();
    await cp.destroy();
    rmSync(hostDir, { recursive: true, force: true });
  });

  const apply = (name: string, yaml: string) => cp.k('apply', '-f', cp.manifest(`${name}.yaml`, yaml));
  const jp = (kind: string, name: string, path: string) => cp.k('get', kind, name, '-o', `jsonpath={${path}}`);
  const podOf = async (app: string) => (await cp.k('get', 'pods', '-l', `app=${app}`, '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].metadata.name}')).trim();
  const exec = (pod: string, script: string) => cp.kubectl(['exec', pod, '--', 'sh', '-c', script]);

  it('a Deployment pod with a claim on the default class runs; its data survives the pod; PV and directory go after the claim', async () => {
    expect(await cp.k('get', 'sc')).toMatch(/local-path \(default\)\s+tinykube.io\/local-path\s+Delete\s+WaitForFirstConsumer/);
    await apply('data', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n');
    await eventually(async () => {
      expect(await cp.k('get', 'events', '--field-selector', 'involvedObject.name=data')).toContain('waiting for first consumer to be created before binding');
    }, { timeoutMs: 20_000, intervalMs: 300 });
    expect(await jp('pvc', 'data', '.status.phase')).toBe('Pending');
    await apply('app', `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: app}}\n`
      + `  template:\n    metadata: {labels: {app: app}}\n    spec:\n      securityContext: {fsGroup: 2000}\n      containers:\n      - name: c\n        image: "${BUSYBOX}"\n        command: [sleep, "3600"]\n`
      + '        volumeMounts: [{name: d, mountPath: /data}]\n      volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n');
    let pod = '';
    await eventually(async () => { pod = await podOf('app'); expect(pod).not.toBe(''); }, { timeoutMs: 60_000, intervalMs: 300 });
    expect(await jp('pvc', 'data', '.metadata.annotations.volume\\.kubernetes\\.io/selected-node')).toBe(agent.nodeName);
    expect(await jp('pvc', 'data', '.status.phase')).toBe('Bound');
    const pv = await jp('pvc', 'data', '.spec.volumeName');
    expect(pv).toMatch(/^pvc-[0-9a-f-]{36}$/);
    expect(await jp('pv', pv, '.status.phase')).toBe('Bound');
    expect(await jp('pv', pv, '.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]')).toBe(agent.nodeName);
    const dir = join(agent.dataDir, 'storage', pv);
    expect(await jp('pv', pv, '.spec.local.path')).toBe(dir);
    expect(await jp('pvc', 'data', '.metadata.finalizers')).toContain('kubernetes.io/pvc-protection');
    expect((await exec(pod, 'echo kept > /data/file && stat -c %g /data')).stdout.trim()).toBe('2000');
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('kept\n');

    await cp.k('delete', 'pod', pod, '--wait=false');
    let next = '';
    await eventually(async () => {
      next = (await podOf('app')).split(' ').find((n) => n !== '' && n !== pod) ?? '';
      expect(next).not.toBe('');
    }, { timeoutMs: 60_000, intervalMs: 300 });
    expect((await exec(next, 'cat /data/file')).stdout).toBe('kept\n');

    // the claim in use stays (Terminating) until its pod is gone
    await cp.k('delete', 'pvc', 'data', '--wait=false');
    expect(await jp('pvc', 'data', '.metadata.deletionTimestamp')).not.toBe('');
    await cp.k('delete', 'deployment', 'app');
    await eventually(async () => {
      expect((await cp.kubectl(['get', 'pvc', 'data'])).stderr).toContain('not found');
      expect((await cp.kubectl(['get', 'pv', pv])).stderr).toContain('not found');
    }, { timeoutMs: 90_000, intervalMs: 500 });
    await eventually(async () => { expect(existsSync(dir)).toBe(false); }, { timeoutMs: 30_000, intervalMs: 500 });
  });

  it('a static hostPath PV binds to a matching claim (the smallest that fits); a readOnly claim refuses writes', async () => {
    await apply('pvs', [1, 5].map((g) => `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: host-${g}g, labels: {tier: static}}\n`
      + `spec:\n  capacity: {storage: ${g}Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  hostPath: {path: ${hostDir}/v${g}, type: DirectoryOrCreate}\n`).join('---\n'));
    await eventually(async () => { expect(await jp('pv', 'host-1g', '.status.phase')).toBe('Available'); }, { timeoutMs: 20_000, intervalMs: 300 });
    await apply('static', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: static}\nspec:\n  storageClassName: manual\n  accessModes: [ReadWriteOnce]\n'
      + '  selector: {matchLabels: {tier: static}}\n  resources: {requests: {storage: 500Mi}}\n');
    await eventually(async () => { expect(await jp('pvc', 'static', '.status.phase')).toBe('Bound'); }, { timeoutMs: 20_000, intervalMs: 300 });
    expect(await jp('pvc', 'static', '.spec.volumeName')).toBe('host-1g');
    expect(await jp('pv', 'host-1g', '.spec.claimRef.name')).toBe('static');
    expect(await jp('pv', 'host-5g', '.status.phase')).toBe('Available');
    expect(await cp.k('get', 'pvc', 'static', '--no-headers')).toMatch(/^static\s+Bound\s+host-1g\s+1Gi\s+RWO\s+manual/);

    await apply('rw', `apiVersion: v1\nkind: Pod\nmetadata: {name: rw}\nspec:\n  containers:\n  - name: c\n    image: "${BUSYBOX}"\n    command: [sleep, "3600"]\n`
      + '    volumeMounts: [{name: d, mountPath: /data}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: static}}]\n');
    await apply('ro', `apiVersion: v1\nkind: Pod\nmetadata: {name: ro}\nspec:\n  containers:\n  - name: c\n    image: "${BUSYBOX}"\n    command: [sleep, "3600"]\n`
      + '    volumeMounts: [{name: d, mountPath: /data}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: static, readOnly: true}}]\n');
    for (const p of ['rw', 'ro']) await eventually(async () => { expect(await jp('pod', p, '.status.phase')).toBe('Running'); }, { timeoutMs: 60_000, intervalMs: 300 });
    expect((await exec('rw', 'echo from-rw > /data/f && cat /data/f')).stdout).toBe('from-rw\n');
    expect(readFileSync(join(hostDir, 'v1', 'f'), 'utf8')).toBe('from-rw\n');
    expect((await exec('ro', 'cat /data/f')).stdout).toBe('from-rw\n');
    const w = await exec('ro', 'touch /data/nope');
    expect(w.code).not.toBe(0);
    expect(w.stderr).toContain('Read-only file system');

    // Retain: the released volume keeps its data and its claimRef
    await cp.k('delete', 'pod', 'rw', 'ro', '--grace-period=1');
    await cp.k('delete', 'pvc', 'static');
    await eventually(async () => { expect(await jp('pv', 'host-1g', '.status.phase')).toBe('Released'); }, { timeoutMs: 30_000, intervalMs: 300 });
    expect(existsSync(join(hostDir, 'v1', 'f'))).toBe(true);
  });

  it('a claim on an unknown class stays Pending with the upstream event', async () => {
    await apply('nope', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: nope}\nspec:\n  storageClassName: x\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n');
    await eventually(async () => {
      expect(await cp.k('get', 'events', '--field-selector', 'involvedObject.name=nope')).toContain('storageclass.storage.k8s.io "x" not found');
    }, { timeoutMs: 20_000, intervalMs: 300 });
    expect(await jp('pvc', 'nope', '.status.phase')).toBe('Pending');
    expect(await cp.k('describe', 'pvc', 'nope')).toMatch(/ProvisioningFailed\s+.*storageclass.storage.k8s.io "x" not found/);
  });
});
