/**
 * Issue 14 item 3 with the real kubectl on a one-node `tinykube cluster up` (the node's agent
 * serves cluster DNS): a StatefulSet under its headless Service becomes ready in ordinal order,
 * `kubectl rollout status/history/undo sts` and `kubectl scale sts` work, an image update rolls
 * from the highest ordinal down, `db-2.db.default.svc.cluster.local` resolves to db-2's IP from
 * another pod, and claims from volumeClaimTemplates are created as `<template>-<set>-<ordinal>`
 * and kept on scale down (their binding is the storage controllers' business, not checked here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ClusterTarget } from '../helpers/cluster-target.js';
import { eventually } from '../helpers/eventually.js';

const SET = `
apiVersion: v1
kind: Service
metadata: { name: db }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: http, port: 80 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 3
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: tinykube/web:1
        imagePullPolicy: IfNotPresent
        readinessProbe: { httpGet: { path: /, port: 80 }, initialDelaySeconds: 2, periodSeconds: 1 }
`;

const CLAIMS = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: store }
spec:
  serviceName: store
  replicas: 2
  podManagementPolicy: Parallel
  selector: { matchLabels: { app: store } }
  template:
    metadata: { labels: { app: store } }
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{ name: web, image: tinykube/web:1, imagePullPolicy: IfNotPresent }]
  volumeClaimTemplates:
  - metadata: { name: data }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Mi } } }
`;

interface PodView { name: string; uid: string; ip: string; created: number; ready: number; image: string; rev: string }

describe('StatefulSets with the real kubectl on a one-node cluster', () => {
  const c = new ClusterTarget(`tkst${randomBytes(2).toString('hex')}`, 1, 'docker');
  beforeAll(async () => { await c.start(); }, 240_000);
  afterAll(async () => { await c.destroy(); }, 180_000);

  const pods = async (app: string): Promise<PodView[]> => {
    const out = await c.k('get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}|{.metadata.uid}|{.status.podIP}|{.metadata.creationTimestamp}|'
      + '{.status.conditions[?(@.type=="Ready")].status}{.status.conditions[?(@.type=="Ready")].lastTransitionTime}|{.spec.containers[0].image}|{.metadata.labels.controller-revision-hash}|{.metadata.deletionTimestamp}{"\\n"}{end}');
    return out.split('\n').filter(Boolean).map((l) => l.split('|')).filter((f) => !f[7]).map((f) => ({
      name: f[0]!, uid: f[1]!, ip: f[2]!, created: Date.parse(f[3]!), ready: f[4]!.startsWith('True') ? Date.parse(f[4]!.slice(4)) : NaN, image: f[5]!, rev: f[6]!,
    })).sort((a, b) => a.name.localeCompare(b.name));
  };
  const rollout = async () => (await c.kubectl(['rollout', 'status', 'sts/db', '--timeout=180s'], { timeoutMs: 200_000 })).stdout;

  it('becomes ready in ordinal order: each pod is created only after the one before is Ready', async () => {
    await c.k('apply', '-f', c.manifest('db.yaml', SET));
    expect(await rollout()).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const ps = await pods('db');
    expect(ps.map((p) => p.name)).toEqual(['db-0', 'db-1', 'db-2']);
    for (const i of [1, 2]) expect(ps[i]!.created).toBeGreaterThanOrEqual(ps[i - 1]!.ready);
    const hostnames = await c.k('get', 'pods', '-l', 'app=db', '-o', 'jsonpath={range .items[*]}{.spec.hostname}.{.spec.subdomain} {.metadata.labels.statefulset\\.kubernetes\\.io/pod-name} {.metadata.labels.apps\\.kubernetes\\.io/pod-index}{"\\n"}{end}');
    expect(hostnames.trim().split('\n').sort()).toEqual(['db-0.db db-0 0', 'db-1.db db-1 1', 'db-2.db db-2 2']);
    expect(await c.k('get', 'sts', 'db')).toMatch(/db\s+3\/3/);
    // the pod's own hostname
    expect((await c.k('exec', 'db-1', '--', 'hostname')).trim()).toBe('db-1');
  });

  it('db-2.db.default.svc.cluster.local resolves to db-2 from another pod', async () => {
    const ip = (await pods('db')).find((p) => p.name === 'db-2')!.ip;
    await c.k('run', 'client', '--image=tinykube/busybox:1', '--image-pull-policy=IfNotPresent', '--restart=Never', '--', 'sleep', '3600');
    await c.k('wait', '--for=condition=Ready', 'pod/client', '--timeout=120s');
    await eventually(async () => {
      const out = await c.k('exec', 'client', '--', 'nslookup', 'db-2.db.default.svc.cluster.local');
      expect(out).toContain(ip);
    }, { timeoutMs: 30_000, intervalMs: 500 });
    // the headless service name answers with every pod
    const all = await c.k('exec', 'client', '--', 'nslookup', 'db.default.svc.cluster.local');
    for (const p of await pods('db')) expect(all).toContain(p.ip);
  });

  it('kubectl scale sts to 2 removes db-2 only, and back to 3 recreates it', async () => {
    const before = await pods('db');
    await c.k('scale', 'sts', 'db', '--replicas=2');
    await eventually(async () => expect((await pods('db')).map((p) => p.name)).toEqual(['db-0', 'db-1']), { timeoutMs: 60_000, intervalMs: 200 });
    expect((await pods('db')).map((p) => p.uid)).toEqual(before.slice(0, 2).map((p) => p.uid));
    await c.k('scale', 'sts', 'db', '--replicas=3');
    await rollout();
    expect((await pods('db')).map((p) => p.name)).toEqual(['db-0', 'db-1', 'db-2']);
  });

  it('an image update rolls from db-2 down to db-0; rollout history and undo', async () => {
    const before = await pods('db');
    await c.k('set', 'image', 'sts/db', 'web=tinykube/web:2');
    expect(await rollout()).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const after = await pods('db');
    expect(after.map((p) => p.image)).toEqual(['tinykube/web:2', 'tinykube/web:2', 'tinykube/web:2']);
    for (const [i, p] of after.entries()) expect(p.uid).not.toBe(before[i]!.uid);
    // replaced from the top: db-2 first, each after the one above it was Ready again
    expect(after[1]!.created).toBeGreaterThanOrEqual(after[2]!.ready);
    expect(after[0]!.created).toBeGreaterThanOrEqual(after[1]!.ready);
    const st = JSON.parse(await c.k('get', 'sts', 'db', '-o', 'json')) as { status: Record<string, unknown> };
    expect(st.status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(st.status['currentRevision']).toBe(st.status['updateRevision']);
    expect(after.every((p) => p.rev === st.status['updateRevision'])).toBe(true);

    const history = await c.k('rollout', 'history', 'sts/db');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await c.k('rollout', 'history', 'sts/db', '--revision=1')).toContain('tinykube/web:1');
    expect(await c.k('get', 'controllerrevisions', '-l', 'app=db')).toMatch(/db-[a-z0-9]+\s+statefulset\.apps\/db\s+2/);

    expect(await c.k('rollout', 'undo', 'sts/db')).toContain('statefulset.apps/db rolled back');
    await rollout();
    expect((await pods('db')).map((p) => p.image)).toEqual(['tinykube/web:1', 'tinykube/web:1', 'tinykube/web:1']);
    expect(await c.k('rollout', 'history', 'sts/db')).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  });

  it('claims from volumeClaimTemplates are created per ordinal and kept on scale down', async () => {
    await c.k('apply', '-f', c.manifest('store.yaml', CLAIMS));
    await eventually(async () => {
      const names = (await c.k('get', 'pvc', '-l', 'app=store', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter(Boolean).sort();
      expect(names).toEqual(['data-store-0', 'data-store-1']);
      const vols = await c.k('get', 'pods', '-l', 'app=store', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.volumes[0].persistentVolumeClaim.claimName}{" "}{end}');
      expect(vols.trim().split(' ').sort()).toEqual(['store-0=data-store-0', 'store-1=data-store-1']);
    }, { timeoutMs: 30_000, intervalMs: 200 });
    await c.k('scale', 'sts', 'store', '--replicas=1');
    await eventually(async () => expect((await c.k('get', 'pods', '-l', 'app=store', '-o', 'jsonpath={.items[*].metadata.name}')).trim()).toBe('store-0'), { timeoutMs: 60_000, intervalMs: 200 });
    expect((await c.k('get', 'pvc', '-l', 'app=store', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').sort()).toEqual(['data-store-0', 'data-store-1']);
    await c.k('delete', 'sts', 'store', '--wait=false');
  });

  it('the node refuses a pod whose hostPort is taken (Failed, NodePorts) and the StatefulSet pod runs once the holder is gone', async () => {
    const node = (await c.k('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    const spec = `nodeName: ${node}\n      terminationGracePeriodSeconds: 1\n      containers: [{ name: web, image: tinykube/web:1, imagePullPolicy: IfNotPresent, ports: [{ containerPort: 80, hostPort: 21017 }] }]`;
    await c.k('apply', '-f', c.manifest('holder.yaml', `apiVersion: v1\nkind: Pod\nmetadata: { name: holder }\nspec:\n      ${spec}\n`));
    await c.k('wait', '--for=condition=Ready', 'pod/holder', '--timeout=60s');
    await c.k('apply', '-f', c.manifest('evict.yaml', `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: evict }
spec:
  serviceName: evict
  replicas: 1
  selector: { matchLabels: { app: evict } }
  template:
    metadata: { labels: { app: evict } }
    spec:
      ${spec}
`));
    // refused, deleted by the controller, recreated and refused again while the port is held
    await eventually(async () => {
      expect(await c.k('get', 'pod', 'evict-0', '-o', 'jsonpath={.status.phase}/{.status.reason}/{.status.message}', '--ignore-not-found')).toBe('Failed/NodePorts/Pod Predicate NodePorts failed');
    }, { timeoutMs: 60_000, intervalMs: 100 });
    await eventually(async () => {
      const refused = await c.k('get', 'events', '--field-selector', 'reason=NodePorts,involvedObject.name=evict-0', '-o', 'jsonpath={range .items[*]}{.involvedObject.uid}{"\\n"}{end}');
      expect(new Set(refused.split('\n').filter(Boolean)).size).toBeGreaterThanOrEqual(2);
    }, { timeoutMs: 60_000, intervalMs: 500 });
    await c.k('delete', 'pod', 'holder', '--grace-period=0', '--force');
    await c.k('wait', '--for=condition=Ready', 'pod/evict-0', '--timeout=90s');
    expect(await c.k('get', 'pod', 'evict-0', '-o', 'jsonpath={.status.phase}')).toBe('Running');
    await c.k('delete', 'sts', 'evict', '--wait=false');
  });
});
