import { afterEach, describe, expect, it } from 'vitest';
import { FakeRuntime } from '../cri/fake/fake-runtime.js';
import { eventually } from '../test/helpers/eventually.js';
import { startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

const runtime = () => {
  const rt = new FakeRuntime({ images: ['busybox:1'], runtimeName: 'docker', runtimeVersion: '20.10.24' });
  rt.addImage('app:1', { uid: 1000 });
  rt.addImage('named:1', { username: 'app' });
  return rt;
};

describe('agent: securityContext', () => {
  it('hands the runtime the pod and container security contexts, the sandbox its own', async () => {
    h = await startAgentHarness({ runtime: runtime() });
    await h.createPod({
      metadata: { name: 'sc' },
      spec: {
        hostPID: true, hostIPC: true,
        securityContext: { runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000] },
        containers: [{ name: 'c', image: 'busybox:1', securityContext: {
          runAsUser: 1001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        } }],
      },
    });
    await eventually(async () => { expect((await h.getPod('sc'))?.status?.phase).toBe('Running'); });
    const [container] = [...h.runtime.containers.values()];
    expect(container?.config.linux?.securityContext).toEqual({
      runAsUser: 1001, runAsGroup: 2000, supplementalGroups: [3000, 4000], readonlyRootfs: true, noNewPrivs: true,
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] }, namespaceOptions: { pid: 'NODE', ipc: 'NODE' },
    });
    const [sandbox] = [...h.runtime.sandboxes.values()];
    expect(sandbox?.config.linux?.securityContext).toEqual({
      runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [3000, 4000], namespaceOptions: { pid: 'NODE', ipc: 'NODE' },
    });
  });

  it('runAsNonRoot with an image that runs as root: CreateContainerConfigError with the kubelet message, nothing created', async () => {
    h = await startAgentHarness({ runtime: runtime() });
    const pod = await h.createPod({ metadata: { name: 'rootimg' }, spec: { containers: [{ name: 'c', image: 'busybox:1', securityContext: { runAsNonRoot: true } }] } });
    const message = `container has runAsNonRoot and image will run as root (pod: "rootimg_default(${pod.metadata?.uid ?? ''})", container: c)`;
    await eventually(async () => {
      expect((await h.getPod('rootimg'))?.status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message });
    });
    expect((await h.events('rootimg')).map((e) => [e.reason, e.message])).toContainEqual(['Failed', `Error: ${message}`]);
    expect(h.runtime.calls.filter((c) => c.startsWith('createContainer'))).toEqual([]);
  });

  it('runAsNonRoot: an image user name cannot be verified; an image uid 1000 runs', async () => {
    h = await startAgentHarness({ runtime: runtime() });
    const named = await h.createPod({ metadata: { name: 'named' }, spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: 'named:1' }] } });
    await h.createPod({ metadata: { name: 'nonroot' }, spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: 'app:1' }] } });
    await eventually(async () => {
      expect((await h.getPod('named'))?.status?.containerStatuses?.[0]?.state?.waiting?.message)
        .toBe(`container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root (pod: "named_default(${named.metadata?.uid ?? ''})", container: c)`);
      expect((await h.getPod('nonroot'))?.status?.phase).toBe('Running');
    });
  });

  it('a runAsGroup without runAsUser keeps the image user beside the group', async () => {
    h = await startAgentHarness({ runtime: runtime() });
    await h.createPod({ metadata: { name: 'grp' }, spec: { securityContext: { runAsGroup: 5 }, containers: [{ name: 'c', image: 'app:1' }] } });
    await eventually(async () => { expect((await h.getPod('grp'))?.status?.phase).toBe('Running'); });
    expect([...h.runtime.containers.values()][0]?.config.linux?.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 5 });
  });
});
