import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test/helpers/eventually.js';
import { NODE, startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

describe('agent logs', () => {
  it('bind each key once per line: the kubelet (component, node) and its pod workers (pod, podUid)', async () => {
    h = await startAgentHarness();
    await h.createPod({ metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } });
    await eventually(async () => expect((await h.getPod('web'))?.status?.phase).toBe('Running'));
    await h.nextSync('web');
    const entries = h.logs.entries;
    expect(entries).toContainEqual(expect.objectContaining({ component: 'kubelet', node: NODE, msg: 'Registered node' }));
    expect(entries).toContainEqual(expect.objectContaining({ component: 'kubelet', node: NODE, pod: 'default/web', msg: 'Synced pod' }));
    expect(h.logs.duplicates()).toEqual([]);
  });
});
