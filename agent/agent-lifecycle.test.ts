import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { eventually } from '../test/helpers/eventually.js';
import { NODE, PODS, startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

const running = (h: AgentHarness, name: string) => async () => { expect((await h.getPod(name))?.status?.phase).toBe('Running'); };

describe('agent: config, deletion, restart recovery, static pods', () => {
  it('resolves env from configmap, secret and fieldRef, and writes volumes and /etc/hosts', async () => {
    h = await startAgentHarness();
    await h.client.create(findResource('', 'v1', 'configmaps')!, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { color: 'blue', 'app.conf': 'x=1\n' } } as KubeObject);
    await h.client.create(findResource('', 'v1', 'secrets')!, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, data: { pw: Buffer.from('hunter2').toString('base64') } } as KubeObject);
    const pod = await h.createPod({ metadata: { name: 'cfg-pod' }, spec: {
      volumes: [{ name: 'c', configMap: { name: 'cfg' } }, { name: 's', secret: { secretName: 'sec' } }, { name: 'e', emptyDir: {} }],
      containers: [{ name: 'app', image: 'busybox:1',
        env: [
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'pw' } } },
          { name: 'ME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
        volumeMounts: [{ name: 'c', mountPath: '/etc/c' }, { name: 's', mountPath: '/etc/s' }, { name: 'e', mountPath: '/tmp/e' }] }] } });
    await eventually(running(h, 'cfg-pod'));
    const [c] = h.runtime.containersOf('cfg-pod', 'app');
    const cfg = h.runtime.containers.get(c!.id)!.config;
    // the pod's own variables, then the service variables (default/kubernetes at least)
    expect(cfg.envs?.slice(0, 4)).toEqual([{ key: 'COLOR', value: 'blue' }, { key: 'PW', value: 'hunter2' }, { key: 'ME', value: 'cfg-pod' }, { key: 'IP', value: '10.88.0.2' }]);
    expect(cfg.envs).toContainEqual({ key: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' });
    const vol = join(h.dataDir, 'pods', pod.metadata!.uid!, 'volumes');
    expect(await readFile(join(vol, 'kubernetes.io~configmap/c/app.conf'), 'utf8')).toBe('x=1\n');
    expect(await readFile(join(vol, 'kubernetes.io~secret/s/pw'), 'utf8')).toBe('hunter2');
    expect((await stat(join(vol, 'kubernetes.io~empty-dir/e'))).isDirectory()).toBe(true);
    expect(await readFile(join(h.dataDir, 'pods', pod.metadata!.uid!, 'etc-hosts'), 'utf8')).toContain('10.88.0.2\tcfg-pod\n');
    expect(cfg.mounts?.map((m) => m.containerPath)).toEqual(['/etc/c', '/etc/s', '/tmp/e', '/etc/hosts', '/dev/termination-log']);
  });

  it('a missing configmap key shows CreateContainerConfigError', async () => {
    h = await startAgentHarness();
    await h.createPod({ metadata: { name: 'nocfg' }, spec: { containers: [{ name: 'app', image: 'busybox:1',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }] } });
    const w = await eventually(async () => {
      const waiting = (await h.getPod('nocfg'))?.status?.containerStatuses?.[0]?.state?.waiting;
      expect(waiting?.reason).toBe('CreateContainerConfigError');
      return waiting!;
    });
    expect(w.message).toBe('configmap "absent" not found');
  });

  it('graceful deletion stops containers with the grace period, removes the sandbox and confirms the deletion', async () => {
    h = await startAgentHarness();
    const pod = await h.createPod({ metadata: { name: 'bye' }, spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'busybox:1' }] } });
    await eventually(running(h, 'bye'));
    expect(h.runtime.allocatedIps()).toEqual(['10.88.0.2']);
    const logDir = join(h.dataDir, 'logs', `default_bye_${pod.metadata!.uid!}`);
    expect((await stat(logDir)).isDirectory()).toBe(true);
    await h.client.delete(PODS, 'default', 'bye', { gracePeriodSeconds: 7 });
    await eventually(async () => { expect(await h.getPod('bye')).toBeUndefined(); });
    expect(h.runtime.stops.map((s) => s.timeoutSeconds)).toEqual([7]);
    expect(h.runtime.sandboxes.size).toBe(0);
    expect(h.runtime.containers.size).toBe(0);
    expect(h.runtime.allocatedIps()).toEqual([]);
    await expect(stat(logDir)).rejects.toThrow(/ENOENT/); // the runtime's log files go with the pod (containerd leaves them)
    expect((await h.events('bye')).some((e) => e.reason === 'Killing' && e.message === 'Stopping container app')).toBe(true);
  });

  it('an agent restart adopts running containers and removes pods no longer bound here', async () => {
    h = await startAgentHarness();
    await h.createPod({ metadata: { name: 'keep' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } });
    await h.createPod({ metadata: { name: 'gone' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } });
    await eventually(running(h, 'keep'));
    await eventually(running(h, 'gone'));
    await h.stopAgent();
    await h.client.delete(PODS, 'default', 'gone', { gracePeriodSeconds: 0 });
    h.startAgent();
    await eventually(() => { expect(h.runtime.containersOf('gone')).toHaveLength(0); });
    await h.nextSync('keep'); // the new agent has synced 'keep' at least once
    expect(h.runtime.calls.filter((c) => c === 'startContainer keep/app')).toHaveLength(1);
    expect(h.runtime.containersOf('keep', 'app').map((c) => c.state)).toEqual(['CONTAINER_RUNNING']);
    expect((await h.getPod('keep'))?.status?.phase).toBe('Running');
  });

  it('runs a static pod from the manifests dir and mirrors it in the API', async () => {
    h = await startAgentHarness();
    await h.stopAgent();
    await mkdir(join(h.dataDir, 'manifests'), { recursive: true });
    await writeFile(join(h.dataDir, 'manifests', 'static-web.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n    image: busybox:1\n');
    h.startAgent();
    const name = `static-web-${NODE}`;
    const mirror = await eventually(async () => { const p = await h.getPod(name); expect(p?.status?.phase).toBe('Running'); return p!; }, { timeoutMs: 3000 });
    expect(mirror.metadata?.annotations?.['kubernetes.io/config.mirror']).toBe(mirror.metadata?.annotations?.['kubernetes.io/config.hash']);
    expect(mirror.metadata?.annotations?.['kubernetes.io/config.source']).toBe('file');
    // owned by its Node, as upstream's kubelet makes mirror pods
    expect(mirror.metadata?.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'Node', controller: true, uid: expect.any(String) })]);
    expect(h.runtime.containersOf(name, 'web')).toHaveLength(1);
    // deleting the mirror does not stop the static pod; the mirror comes back
    await h.client.delete(PODS, 'default', name, { gracePeriodSeconds: 0 });
    await eventually(async () => { const p: Pod | undefined = await h.getPod(name); expect(p?.metadata?.uid).toBeDefined(); expect(p?.metadata?.uid).not.toBe(mirror.metadata?.uid); }, { timeoutMs: 3000 });
    expect(h.runtime.containersOf(name, 'web').map((c) => c.state)).toEqual(['CONTAINER_RUNNING']);
  });
});
