/**
 * Issue 3 with the real kubectl: the scheduler places pods by filters and scores, the controllers
 * reconcile ReplicaSets, Deployments, DaemonSets and Jobs, and dead nodes get their pods evicted.
 * Nodes are fake (test/helpers/fake-nodes.ts) until the agent exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { findResource } from '../../control/api/resources.js';
import { TestControlPlane, ROOT } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { FakeNodes } from '../helpers/fake-nodes.js';

const data = (f: string) => join(ROOT, 'test/e2e/testdata', f);
const PODS = findResource('', 'v1', 'pods')!;

describe('scheduler and controllers, driven by kubectl', () => {
  const cp = new TestControlPlane({ extraArgs: ['--node-monitor-grace-period', '4s', '--node-monitor-period', '500ms'] });
  let nodes: FakeNodes;
  beforeAll(async () => {
    await cp.start();
    nodes = new FakeNodes(cp);
    await nodes.add({ name: 'node-a', cpu: '2' }, { name: 'node-b', cpu: '2' }, { name: 'node-c', cpu: '2' });
  });
  afterAll(async () => { nodes.stop(); await cp.destroy(); });

  const podsOf = async (selector: string) => {
    const out = await cp.k('get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase} {.metadata.deletionTimestamp}{"\\n"}{end}');
    return out.split('\n').filter(Boolean).map((l) => { const [name, node, phase, del] = l.split(' '); return { name: name!, node, phase, deleting: !!del }; });
  };
  const live = async (selector: string) => (await podsOf(selector)).filter((p) => !p.deleting);

  it('nodes are Ready with podCIDRs', async () => {
    await eventually(async () => {
      const out = await cp.k('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.podCIDR}{"\\n"}{end}');
      const cidrs = out.split('\n').filter(Boolean).map((l) => l.split(' ')[1]);
      expect(cidrs).toHaveLength(3);
      expect(new Set(cidrs).size).toBe(3);
      for (const c of cidrs) expect(c).toMatch(/^10\.244\.\d+\.0\/24$/);
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect(await cp.k('get', 'nodes')).toMatch(/node-a\s+Ready/);
  });

  it('the seed ReplicaSet: 3 pods on 3 nodes, a deleted pod is replaced, scale to 6, a matching pod is adopted', async () => {
    await cp.k('create', '-f', data('replicaset-definition.yaml'));
    await eventually(async () => {
      const ps = await live('type=front-end');
      expect(ps.filter((p) => p.phase === 'Running')).toHaveLength(3);
      expect(new Set(ps.map((p) => p.node)).size).toBe(3);
    }, { timeoutMs: 20_000, intervalMs: 100 });
    const victim = (await live('type=front-end'))[0]!.name;
    await cp.k('delete', 'pod', victim);
    await eventually(async () => {
      const ps = await live('type=front-end');
      expect(ps.filter((p) => p.phase === 'Running')).toHaveLength(3);
      expect(ps.map((p) => p.name)).not.toContain(victim);
    }, { timeoutMs: 20_000, intervalMs: 100 });
    await cp.k('scale', '--replicas=6', 'rs', 'myapp-replicaset');
    await eventually(async () => { expect((await live('type=front-end')).filter((p) => p.phase === 'Running')).toHaveLength(6); }, { timeoutMs: 20_000, intervalMs: 100 });
    // a hand-made pod with matching labels is adopted: one of the six goes away, six stay
    await cp.k('run', 'stray', '--image=tinykube/web:1', '--labels=type=front-end,app=myapp');
    await eventually(async () => {
      const owner = await cp.k('get', 'pod', 'stray', '-o', 'jsonpath={.metadata.ownerReferences[0].name}').catch(() => 'gone');
      expect(owner === 'myapp-replicaset' || owner === 'gone').toBe(true);
      expect(await live('type=front-end')).toHaveLength(6);
    }, { timeoutMs: 20_000, intervalMs: 100 });
    expect(await cp.k('get', 'rs', 'myapp-replicaset')).toMatch(/myapp-replicaset\s+6\s+6\s+6/);
    await cp.k('delete', 'rs', 'myapp-replicaset');
    await eventually(async () => { expect(await live('type=front-end')).toHaveLength(0); }, { timeoutMs: 20_000, intervalMs: 100 });
  });

  it('a Deployment rolls within its surge/unavailable bounds; history, undo, pause, resume, status', async () => {
    await cp.k('create', 'deployment', 'roll', '--image=tinykube/web:1', '--replicas=4');
    expect((await cp.kubectl(['rollout', 'status', 'deployment/roll', '--timeout=60s'])).stdout).toContain('deployment "roll" successfully rolled out');
    // watch every pod change during the rollout and check the bounds at each step
    const ac = new AbortController();
    const state = new Map<string, { ready: boolean; deleting: boolean }>();
    let maxTotal = 0;
    let minAvailable = Infinity;
    const list = await nodes.client.list<Pod & Record<string, unknown>>(PODS, 'default', { labelSelector: 'app=roll' });
    for (const p of list.items) state.set(p.metadata!.name!, { ready: isReady(p), deleting: !!p.metadata?.deletionTimestamp });
    const watching = (async () => {
      try {
        for await (const ev of nodes.client.watch<Pod & Record<string, unknown>>(PODS, 'default', { labelSelector: 'app=roll', resourceVersion: list.resourceVersion }, ac.signal)) {
          const name = ev.object.metadata!.name!;
          if (ev.type === 'DELETED') state.delete(name);
          else state.set(name, { ready: isReady(ev.object), deleting: !!ev.object.metadata?.deletionTimestamp });
          const liveOnes = [...state.values()].filter((s) => !s.deleting);
          maxTotal = Math.max(maxTotal, liveOnes.length);
          minAvailable = Math.min(minAvailable, liveOnes.filter((s) => s.ready).length);
        }
      } catch { /* the watch ends when the test aborts it */ }
    })();
    await cp.k('set', 'image', 'deployment/roll', 'web=tinykube/web:2');
    expect((await cp.kubectl(['rollout', 'status', 'deployment/roll', '--timeout=60s'])).stdout).toContain('successfully rolled out');
    ac.abort();
    await watching;
    // replicas 4, maxSurge 25% → 1, maxUnavailable 25% → 1
    expect(maxTotal).toBeLessThanOrEqual(5);
    expect(minAvailable).toBeGreaterThanOrEqual(3);
    const history = await cp.k('rollout', 'history', 'deployment/roll');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await cp.k('rollout', 'undo', 'deployment/roll')).toContain('deployment.apps/roll rolled back');
    expect((await cp.kubectl(['rollout', 'status', 'deployment/roll', '--timeout=60s'])).stdout).toContain('successfully rolled out');
    expect(await cp.k('get', 'deploy', 'roll', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('tinykube/web:1');
    expect(await cp.k('rollout', 'history', 'deployment/roll')).toMatch(/\n2\s+<none>\n3\s+<none>/);
    expect(await cp.k('rollout', 'pause', 'deployment/roll')).toContain('paused');
    await cp.k('set', 'image', 'deployment/roll', 'web=tinykube/web:3');
    // the controller has seen the new template (observedGeneration caught up) and, paused, made no ReplicaSet for it
    await eventually(async () => {
      const [observed, generation] = (await cp.k('get', 'deploy', 'roll', '-o', 'jsonpath={.status.observedGeneration} {.metadata.generation}')).split(' ');
      expect(observed).toBe(generation);
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect(await cp.k('get', 'rs', '-l', 'app=roll', '-o', 'jsonpath={.items[*].spec.template.spec.containers[0].image}')).not.toContain('web:3');
    expect(await cp.k('rollout', 'resume', 'deployment/roll')).toContain('resumed');
    expect((await cp.kubectl(['rollout', 'status', 'deployment/roll', '--timeout=60s'])).stdout).toContain('successfully rolled out');
    expect(await cp.k('get', 'rs', '-l', 'app=roll', '-o', 'jsonpath={.items[*].spec.template.spec.containers[0].image}')).toContain('web:3');
    await cp.k('delete', 'deployment', 'roll');
  });

  it('scheduling: too much cpu stays Pending with a FailedScheduling event naming the reasons', async () => {
    await cp.k('create', '-f', cp.manifest('big.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers: [{name: c, image: tinykube/web:1, resources: {requests: {cpu: "64"}}}]\n'));
    await eventually(async () => {
      const ev = await cp.k('get', 'events', '--field-selector', 'involvedObject.name=big,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}');
      expect(ev).toMatch(/0\/3 nodes are available: 3 Insufficient cpu/);
    }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await cp.k('get', 'pod', 'big')).toMatch(/big\s+0\/1\s+Pending/);
    expect(await cp.k('describe', 'pod', 'big')).toContain('FailedScheduling');
    await cp.k('delete', 'pod', 'big');
  });

  it('scheduling: taints and tolerations, nodeSelector, required anti-affinity', async () => {
    await cp.k('taint', 'nodes', 'node-a', 'dedicated=db:NoSchedule');
    await cp.k('label', 'nodes', 'node-b', 'disk=ssd');
    await cp.k('create', '-f', cp.manifest('sel.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: sel}\nspec:\n  nodeSelector: {disk: ssd}\n  containers: [{name: c, image: tinykube/web:1}]\n'));
    await cp.k('create', '-f', cp.manifest('tol.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: tol}\nspec:\n  nodeSelector: {kubernetes.io/hostname: node-a}\n  tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]\n  containers: [{name: c, image: tinykube/web:1}]\n'));
    await cp.k('create', '-f', cp.manifest('notol.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: notol}\nspec:\n  nodeSelector: {kubernetes.io/hostname: node-a}\n  containers: [{name: c, image: tinykube/web:1}]\n'));
    await eventually(async () => {
      expect(await cp.k('get', 'pod', 'sel', '-o', 'jsonpath={.spec.nodeName}')).toBe('node-b');
      expect(await cp.k('get', 'pod', 'tol', '-o', 'jsonpath={.spec.nodeName}')).toBe('node-a');
      const ev = await cp.k('get', 'events', '--field-selector', 'involvedObject.name=notol,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}');
      expect(ev).toContain('untolerated taint {dedicated: db}');
    }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await cp.k('get', 'pod', 'notol', '-o', 'jsonpath={.spec.nodeName}')).toBe('');
    await cp.k('delete', 'pod', 'sel', 'tol', 'notol');
    await cp.k('taint', 'nodes', 'node-a', 'dedicated-');
    await cp.k('cordon', 'node-c');
    const anti = readFileSync(data('deployment-definition.yaml'), 'utf8').replace('myapp-deployment', 'anti').replace(/type: front-end/g, 'type: anti')
      .replace('replicas: 3', 'replicas: 2')
      .replace('    spec:\n      containers:', '    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - labelSelector: {matchLabels: {type: anti}}\n            topologyKey: kubernetes.io/hostname\n      containers:');
    await cp.k('create', '-f', cp.manifest('anti.yaml', anti));
    await eventually(async () => {
      const ps = await live('type=anti');
      expect(ps.filter((p) => p.node)).toHaveLength(2);
      expect(new Set(ps.map((p) => p.node)).size).toBe(2);
    }, { timeoutMs: 15_000, intervalMs: 100 });
    await cp.k('scale', 'deployment', 'anti', '--replicas=3');
    await eventually(async () => {
      const ps = await live('type=anti');
      expect(ps).toHaveLength(3);
      expect(ps.filter((p) => !p.node)).toHaveLength(1);
    }, { timeoutMs: 15_000, intervalMs: 100 });
    // the scheduler has tried the third pod and found no node for it
    const [pending] = (await live('type=anti')).filter((p) => !p.node);
    await eventually(async () => {
      expect(await cp.k('get', 'pod', pending!.name, '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}')).toBe('Unschedulable');
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect((await live('type=anti')).filter((p) => !p.node)).toHaveLength(1);
    await cp.k('delete', 'deployment', 'anti');
    await cp.k('uncordon', 'node-c');
  });

  it('DaemonSet: one pod per node; a new node gets one', async () => {
    await cp.k('create', '-f', cp.manifest('ds.yaml', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agentd}\nspec:\n  selector: {matchLabels: {app: agentd}}\n  template:\n    metadata: {labels: {app: agentd}}\n    spec: {containers: [{name: c, image: tinykube/web:1}]}\n'));
    await eventually(async () => {
      const ps = await live('app=agentd');
      expect(ps.filter((p) => p.phase === 'Running').map((p) => p.node).sort()).toEqual(['node-a', 'node-b', 'node-c']);
    }, { timeoutMs: 20_000, intervalMs: 100 });
    await nodes.add({ name: 'node-d', cpu: '2' });
    await eventually(async () => { expect((await live('app=agentd')).map((p) => p.node).sort()).toEqual(['node-a', 'node-b', 'node-c', 'node-d']); }, { timeoutMs: 20_000, intervalMs: 100 });
    expect(await cp.k('get', 'ds', 'agentd')).toMatch(/agentd\s+4\s+4\s+4\s+4\s+4/);
    await cp.k('delete', 'ds', 'agentd');
  });

  it('Job runs to completion; a failing Job stops at its backoffLimit', async () => {
    const job = (name: string, exit: number, extra: string) => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: ${name}}\nspec:\n${extra}  template:\n    metadata: {annotations: {tinykube.test/exit-code: "${exit}"}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: tinykube/busybox:1}]\n`;
    await cp.k('create', '-f', cp.manifest('ok.yaml', job('ok', 0, '  completions: 3\n  parallelism: 2\n')));
    expect((await cp.kubectl(['wait', '--for=condition=complete', 'job/ok', '--timeout=30s'])).code).toBe(0);
    expect(await cp.k('get', 'job', 'ok', '-o', 'jsonpath={.status.succeeded}')).toBe('3');
    await cp.k('create', '-f', cp.manifest('bad.yaml', job('bad', 1, '  backoffLimit: 1\n')));
    expect((await cp.kubectl(['wait', '--for=condition=failed', 'job/bad', '--timeout=60s'])).code).toBe(0);
    expect(await cp.k('get', 'job', 'bad', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}')).toBe('BackoffLimitExceeded');
  });

  it('a node whose Lease stops being renewed goes NotReady; its pods are evicted and replaced elsewhere', async () => {
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: evict}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: evict}}\n  template:\n    metadata: {labels: {app: evict}}\n    spec:\n      tolerations:\n      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}\n      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}\n      containers: [{name: c, image: tinykube/web:1}]\n';
    await cp.k('create', '-f', cp.manifest('evict.yaml', dep));
    await eventually(async () => { expect((await live('app=evict')).filter((p) => p.phase === 'Running')).toHaveLength(4); }, { timeoutMs: 20_000, intervalMs: 100 });
    const victimNode = (await live('app=evict'))[0]!.node!;
    nodes.nodes.get(victimNode)!.stopRenewing();
    await eventually(async () => { expect(await cp.k('get', 'node', victimNode)).toMatch(new RegExp(`${victimNode}\\s+NotReady`)); }, { timeoutMs: 60_000, intervalMs: 100 });
    expect(await cp.k('get', 'node', victimNode, '-o', 'jsonpath={.spec.taints[*].key}')).toContain('node.kubernetes.io/unreachable');
    await eventually(async () => {
      const ps = await live('app=evict');
      expect(ps.filter((p) => p.phase === 'Running' && p.node !== victimNode)).toHaveLength(4);
    }, { timeoutMs: 30_000, intervalMs: 100 });
  });
});

function isReady(p: Pod): boolean {
  return !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}
