import type { Node } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { eventually } from '../test/helpers/eventually.js';
import { startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

const cond = (p: { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined, type: string) =>
  p?.status?.conditions?.find((c) => c.type === type)?.status;

describe('agent: node and a running pod', () => {
  it('registers the node with capacity, addresses, nodeInfo, conditions and a Lease', async () => {
    h = await startAgentHarness();
    const node = await eventually(async () => {
      const n = await h.client.get<Node & KubeObject>(findResource('', 'v1', 'nodes')!, undefined, 'node-a');
      expect(n.status?.nodeInfo?.kubeletVersion).toBeTruthy();
      return n;
    });
    expect(node.status?.capacity).toMatchObject({ cpu: '4', memory: `${8 * 1024 * 1024}Ki`, pods: '110' });
    expect(node.status?.addresses).toEqual([{ type: 'InternalIP', address: '192.168.5.10' }, { type: 'Hostname', address: 'host-a' }]);
    expect(node.status?.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0-tinykube', containerRuntimeVersion: 'docker://20.10.24', operatingSystem: 'linux', architecture: 'amd64' });
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(10250);
    expect(node.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'], ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'], ['Ready', 'True', 'KubeletReady'],
    ]);
    const lease = await eventually(() => h.client.get<Lease & KubeObject>(findResource('coordination.k8s.io', 'v1', 'leases')!, 'kube-node-lease', 'node-a'));
    expect(lease.spec).toMatchObject({ holderIdentity: 'node-a', leaseDurationSeconds: 40 });
  });

  it('runs a pod: Running with an IP, conditions, container status', async () => {
    h = await startAgentHarness();
    await h.createPod({ metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } });
    const pod = await eventually(async () => { const p = await h.getPod('web'); expect([p?.status?.phase, cond(p, 'Ready')]).toEqual(['Running', 'True']); return p!; });
    expect(pod.status?.podIP).toBe('10.88.0.2');
    expect(pod.status?.podIPs).toEqual([{ ip: '10.88.0.2' }]);
    expect(pod.status?.hostIP).toBe('192.168.5.10');
    expect(pod.status?.startTime).toBeTruthy();
    expect(pod.status?.qosClass).toBe('BestEffort');
    expect(pod.status?.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
    ]);
    const cs = pod.status?.containerStatuses?.[0];
    expect(cs).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, image: 'busybox:1' });
    expect(cs?.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(cs?.state?.running?.startedAt).toBeTruthy();
    const reasons = (await h.events('web')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Pulled', 'Created', 'Started']));
    // a second sync starts nothing new
    await h.nextSync('web');
    expect(h.runtime.calls.filter((c) => c.startsWith('startContainer'))).toHaveLength(1);
  });

  it('Never: a container exiting 0 makes the pod Succeeded and frees the IP', async () => {
    h = await startAgentHarness();
    h.runtime.setBehaviour('job', { exitAfterMs: 20, exitCode: 0 });
    await h.createPod({ metadata: { name: 'once' }, spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1' }] } });
    const pod = await eventually(async () => { const p = await h.getPod('once'); expect(p?.status?.phase).toBe('Succeeded'); return p!; });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cond(pod, 'Ready')).toBe('False');
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('PodCompleted');
    await eventually(() => { expect(h.runtime.allocatedIps()).toEqual([]); });
  });

  it('Never: exit 3 makes the pod Failed with reason Error', async () => {
    h = await startAgentHarness();
    h.runtime.setBehaviour('job', { exitAfterMs: 20, exitCode: 3 });
    await h.createPod({ metadata: { name: 'bad' }, spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1' }] } });
    const pod = await eventually(async () => { const p = await h.getPod('bad'); expect(p?.status?.phase).toBe('Failed'); return p!; });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('OnFailure: restarts a failing container, and a success ends the pod', async () => {
    h = await startAgentHarness({ agent: { maxBackoffMs: 50 } });
    let runs = 0;
    h.runtime.setBehaviour('job', { exitAfterMs: 20, exitCode: 1 });
    await h.createPod({ metadata: { name: 'retry' }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'busybox:1' }] } });
    await eventually(async () => { const p = await h.getPod('retry'); expect(p?.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1); });
    runs = h.runtime.containersOf('retry', 'job').length;
    h.runtime.setBehaviour('job', { exitAfterMs: 20, exitCode: 0 });
    const pod = await eventually(async () => { const p = await h.getPod('retry'); expect(p?.status?.phase).toBe('Succeeded'); return p!; }, { timeoutMs: 3000 });
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
  });
});
