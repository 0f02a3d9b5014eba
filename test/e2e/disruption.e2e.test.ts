/**
 * Issue 14 item 4 with the real kubectl: a PodDisruptionBudget's status from the disruption
 * controller, the eviction subresource honouring it (429 with upstream's message), and
 * `kubectl drain` retrying until the budget allows, timing out while it cannot, and completing
 * once replacements are Ready on a second node. Nodes are fake kubelets (pods Running and Ready at
 * once, deletions confirmed), which is all a budget looks at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { FakeNodes } from '../helpers/fake-nodes.js';

const VIOLATES = "Cannot evict pod as it would violate the pod's disruption budget.";

describe('PodDisruptionBudgets, eviction and kubectl drain', () => {
  const cp = new TestControlPlane();
  let nodes: FakeNodes;
  beforeAll(async () => {
    await cp.start();
    nodes = new FakeNodes(cp);
    await nodes.add({ name: 'node-a', cpu: '4' });
  });
  afterAll(async () => { nodes.stop(); await cp.destroy(); });

  const pods = async () => {
    const out = await cp.k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp}{"\\n"}{end}');
    return out.split('\n').filter(Boolean).map((l) => { const [name, node, del] = l.split(' '); return { name: name!, node, deleting: !!del }; });
  };
  const evict = (pod: string) => cp.kubectl(['create', '--raw', `/api/v1/namespaces/default/pods/${pod}/eviction`, '-f', '-'],
    { input: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: 'default' } }) });
  const allowed = async () => Number(await cp.k('get', 'pdb', 'web', '-o', 'jsonpath={.status.disruptionsAllowed}'));

  it('kubectl get pdb shows ALLOWED DISRUPTIONS 1 for a 3-replica Deployment with minAvailable 2', async () => {
    await cp.k('create', 'deployment', 'web', '--image=tinykube/web:1', '--replicas=3');
    await cp.k('create', 'pdb', 'web', '--selector=app=web', '--min-available=2');
    await eventually(async () => {
      expect(await cp.k('get', 'pdb', 'web')).toMatch(/^web\s+2\s+N\/A\s+1\s+\S+$/m);
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const st = JSON.parse(await cp.k('get', 'pdb', 'web', '-o', 'jsonpath={.status}')) as Record<string, unknown>;
    expect(st).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1 });
    expect(st['conditions']).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' })]);
  });

  it('one eviction succeeds, a second right away answers 429 with upstream\'s message', async () => {
    // cordoned, so the replacement stays Pending: fake nodes would make it Ready at once
    await cp.k('cordon', 'node-a');
    const [first, second] = (await pods()).filter((p) => !p.deleting);
    const ok = await evict(first!.name);
    expect(ok.code, ok.stderr).toBe(0);
    const refused = await evict(second!.name);
    expect(refused.code, `${refused.stdout}${refused.stderr}`).not.toBe(0);
    expect(refused.stderr).toContain(`Error from server (TooManyRequests): ${VIOLATES}`);
    expect((await pods()).find((p) => p.name === second!.name)?.deleting).toBe(false);
    await cp.k('uncordon', 'node-a');
    // the replacement comes up and the budget is back to 1
    await eventually(async () => {
      expect((await pods()).filter((p) => !p.deleting)).toHaveLength(3);
      expect(await allowed()).toBe(1);
    }, { timeoutMs: 30_000, intervalMs: 200 });
  });

  it('kubectl drain of the only node retries the budget and times out', async () => {
    const r = await cp.kubectl(['drain', 'node-a', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=20s'], { timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('node/node-a cordoned');
    expect(r.stderr).toMatch(new RegExp(`error when evicting pods/"web-[^"]+" -n "default" \\(will retry after 5s\\): ${VIOLATES.replace(/[.()]/g, '\\$&')}`));
    expect(r.stderr).toMatch(/error when evicting pods\/"web-[^"]+" -n "default": global timeout reached: 20s/);
    // one pod went (the budget allowed it); its replacement cannot run on the cordoned node
    const live = (await pods()).filter((p) => !p.deleting);
    expect(live.filter((p) => p.node === 'node-a')).toHaveLength(2);
    expect(await allowed()).toBe(0);
  }, 90_000);

  it('with a second node the drain completes as replacements become Ready there', async () => {
    await nodes.add({ name: 'node-b', cpu: '4' });
    const r = await cp.kubectl(['drain', 'node-a', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('node/node-a drained');
    await eventually(async () => {
      const live = (await pods()).filter((p) => !p.deleting);
      expect(live).toHaveLength(3);
      expect(live.every((p) => p.node === 'node-b')).toBe(true);
      expect(await allowed()).toBe(1);
    }, { timeoutMs: 30_000, intervalMs: 200 });
  }, 120_000);
});
