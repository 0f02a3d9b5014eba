import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test/helpers/eventually.js';
import { PODS, startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

describe('emptyDir medium Memory', () => {
  it('mounts a tmpfs (sizeLimit as its size) on the volume directory, once, and unmounts it when the pod is removed', async () => {
    h = await startAgentHarness();
    const pod = await h.createPod({ metadata: { name: 'mem' }, spec: {
      volumes: [{ name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }, { name: 'u', emptyDir: { medium: 'Memory' } }, { name: 'd', emptyDir: {} }],
      containers: [{ name: 'app', image: 'busybox:1', volumeMounts: [{ name: 'm', mountPath: '/m' }, { name: 'u', mountPath: '/u' }, { name: 'd', mountPath: '/d' }] }] } });
    await eventually(async () => { expect((await h.getPod('mem'))?.status?.phase).toBe('Running'); });
    const dir = join(h.dataDir, 'pods', pod.metadata!.uid!, 'volumes', 'kubernetes.io~empty-dir');
    expect([...h.mounter.mounts.values()]).toEqual([
      { path: join(dir, 'm'), fsType: 'tmpfs', sizeBytes: 64 * 2 ** 20 },
      { path: join(dir, 'u'), fsType: 'tmpfs' },
    ]);
    const [c] = h.runtime.containersOf('mem', 'app');
    expect(h.runtime.containers.get(c!.id)!.config.mounts?.find((m) => m.containerPath === '/m')?.hostPath).toBe(join(dir, 'm'));
    h.mounter.mounts.set(join(dir, 'm'), { ...h.mounter.mounts.get(join(dir, 'm'))!, sizeBytes: 1 }); // a resync must not mount again
    await h.nextSync('mem');
    expect(h.mounter.mounts.get(join(dir, 'm'))?.sizeBytes).toBe(1);
    await h.client.delete(PODS, 'default', 'mem', { gracePeriodSeconds: 0 });
    await eventually(async () => { expect(await h.getPod('mem')).toBeUndefined(); });
    await eventually(() => { expect(h.mounter.mounts.size).toBe(0); });
    await eventually(async () => { await expect(stat(join(h.dataDir, 'pods', pod.metadata!.uid!))).rejects.toThrow(/ENOENT/); });
  });
});
