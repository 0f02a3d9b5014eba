import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../test/helpers/eventually.js';
import { msUntilDeadline } from './active-deadline.js';
import { PODS, startAgentHarness } from './testing/agent-harness.js';
import type { AgentHarness } from './testing/agent-harness.js';

let h: AgentHarness;
afterEach(async () => { await h?.close(); });

describe('activeDeadlineSeconds', () => {
  it('counts from status.startTime (now when unset)', () => {
    const now = new Date('2026-01-01T00:00:10Z');
    expect(msUntilDeadline({ spec: { containers: [] } }, now)).toBeUndefined();
    expect(msUntilDeadline({ spec: { containers: [], activeDeadlineSeconds: 30 }, status: { startTime: '2026-01-01T00:00:00Z' } }, now)).toBe(20_000);
    expect(msUntilDeadline({ spec: { containers: [], activeDeadlineSeconds: 5 } }, now)).toBe(5000);
  });

  it('a running pod whose deadline is lowered below its age is killed and fails with DeadlineExceeded', async () => {
    h = await startAgentHarness();
    await h.createPod({ metadata: { name: 'dl' }, spec: { activeDeadlineSeconds: 3600, containers: [{ name: 'app', image: 'busybox:1' }] } });
    await eventually(async () => { expect((await h.getPod('dl'))?.status?.phase).toBe('Running'); });
    await h.client.patch(PODS, 'default', 'dl', 'merge', { spec: { activeDeadlineSeconds: 1 } });
    const st = await eventually(async () => {
      const s = (await h.getPod('dl'))?.status;
      expect(s?.phase).toBe('Failed');
      return s!;
    }, { timeoutMs: 5000 });
    expect(st.reason).toBe('DeadlineExceeded');
    expect(st.message).toBe('Pod was active on the node longer than the specified deadline');
    expect(h.runtime.containersOf('dl', 'app').every((c) => c.state === 'CONTAINER_EXITED')).toBe(true);
    await h.nextSync('dl');
    expect((await h.getPod('dl'))?.status?.reason).toBe('DeadlineExceeded');
  });
});
