import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test/helpers/eventually.js';
import { PODS, startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

const hostPortPod = (name: string): Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'busybox:1', ports: [{ containerPort: 80, hostPort: 21017 }] }] },
});
const started = (h: AgentHarness, name: string) =>
  h.runtime.calls.filter((c) => c.startsWith('createContainer') && c.includes(name)).length;

describe('agent: pod admission', () => {
  it('refuses a pod whose host port is taken: Failed NodePorts, no container, a Warning event; the port is free once the holder is gone', async () => {
    h = await startAgentHarness();
    await h.createPod(hostPortPod('holder'));
    await eventually(async () => expect((await h.getPod('holder'))?.status?.phase).toBe('Running'));
    await h.createPod(hostPortPod('late'));
    const late = await eventually(async () => { const p = await h.getPod('late'); expect(p?.status?.phase).toBe('Failed'); return p!; });
    expect(late.status).toMatchObject({ reason: 'NodePorts', message: 'Pod Predicate NodePorts failed' });
    expect(late.status?.containerStatuses).toBeUndefined();
    expect((late.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled')).toEqual([]);
    expect((await h.events('late')).map((e) => [e.type, e.reason, e.message])).toContainEqual(['Warning', 'NodePorts', 'Predicate NodePorts failed']);
    await h.nextSync('holder');
    expect(h.runtime.calls.filter((c) => c.startsWith('runPodSandbox'))).toHaveLength(1);

    // the refused pod is deleted like any other (the agent confirms it), then the holder goes
    await h.client.delete(PODS, 'default', 'late', {});
    await eventually(async () => expect(await h.getPod('late')).toBeUndefined());
    await h.client.delete(PODS, 'default', 'holder', { gracePeriodSeconds: 0 });
    await eventually(async () => expect(await h.getPod('holder')).toBeUndefined());
    await h.createPod(hostPortPod('next'));
    await eventually(async () => expect((await h.getPod('next'))?.status?.phase).toBe('Running'));
  });

  it('a restarted agent keeps running its pods, and admits the others oldest first', async () => {
    h = await startAgentHarness();
    // "older" is created first but bound only while the agent is down: by creation time alone it would win
    await h.client.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'older', namespace: 'default' }, spec: hostPortPod('older').spec } as never);
    await new Promise((r) => setTimeout(r, 1100)); // creationTimestamp has one-second resolution
    await h.createPod(hostPortPod('running'));
    await eventually(async () => expect((await h.getPod('running'))?.status?.phase).toBe('Running'));
    await h.stopAgent();
    const before = started(h, 'running');
    await h.client.bind(PODS, 'default', 'older', 'node-a');
    await h.createPod({ metadata: { name: 'free' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } });
    h.startAgent();
    await eventually(async () => expect((await h.getPod('older'))?.status).toMatchObject({ phase: 'Failed', reason: 'NodePorts' }));
    await eventually(async () => expect((await h.getPod('free'))?.status?.phase).toBe('Running'));
    await h.nextSync('running');
    expect((await h.getPod('running'))?.status?.phase).toBe('Running');
    expect(started(h, 'running')).toBe(before);
  });
});
