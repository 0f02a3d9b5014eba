/**
 * Issue 14's must-show with the real kubectl on a 3-node `tinykube cluster up` (Docker): a
 * StatefulSet `db` under its headless Service with claims on the default class `local-path`
 * becomes ready in ordinal order; each claim is bound to its own PV pinned to the pod's node (the
 * directory under that node's data dir); db-1's data survives `kubectl delete pod db-1` (the new
 * db-1 lands on the same node); `db-2.db.default.svc.cluster.local` resolves from another pod;
 * scaling to 2 keeps data-db-2; a PodDisruptionBudget refuses an eviction with 429 and makes
 * `kubectl drain` retry and time out; a Deployment's claim goes with its PV and directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterTarget } from '../helpers/cluster-target.js';
import { eventually } from '../helpers/eventually.js';

const BUSYBOX = 'tinykube/busybox:1';
const VIOLATES = "Cannot evict pod as it would violate the pod's disruption budget.";

// Each pod notes its name in /data/first once (the claim's first owner) and every start in
// /data/boots, then serves /data over HTTP; Ready once /first is served.
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
      - name: db
        image: ${BUSYBOX}
        imagePullPolicy: IfNotPresent
        command: [sh, -c, '[ -f /data/first ] || hostname > /data/first; hostname >> /data/boots; exec httpd -f -p 80 -h /data']
        readinessProbe: { httpGet: { path: /first, port: 80 }, periodSeconds: 1 }
        volumeMounts: [{ name: data, mountPath: /data }]
  volumeClaimTemplates:
  - metadata: { name: data }
    spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Mi } } }
`;

const FILES = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: files }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Mi } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: files }
spec:
  replicas: 1
  selector: { matchLabels: { app: files } }
  template:
    metadata: { labels: { app: files } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: ${BUSYBOX}
        imagePullPolicy: IfNotPresent
        command: [sh, -c, 'echo from-files > /data/f; exec sleep 3600']
        volumeMounts: [{ name: d, mountPath: /data }]
      volumes: [{ name: d, persistentVolumeClaim: { claimName: files } }]
`;

interface PodView { name: string; uid: string; node: string; ip: string; created: number; ready: number }

describe('issue 14 on a 3-node cluster: a StatefulSet with local-path claims, a PDB and drain', () => {
  const c = new ClusterTarget(`tksc${randomBytes(2).toString('hex')}`, 3, 'docker');
  beforeAll(async () => { await c.start(); }, 240_000);
  afterAll(async () => { await c.destroy(); }, 180_000);

  const pods = async (app: string): Promise<PodView[]> => {
    const out = await c.k('get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={range .items[*]}{.metadata.name}|{.metadata.uid}|{.spec.nodeName}|{.status.podIP}|{.metadata.creationTimestamp}|'
      + '{.status.conditions[?(@.type=="Ready")].status}{.status.conditions[?(@.type=="Ready")].lastTransitionTime}|{.metadata.deletionTimestamp}{"\\n"}{end}');
    return out.split('\n').filter(Boolean).map((l) => l.split('|')).filter((f) => !f[6]).map((f) => ({
      name: f[0]!, uid: f[1]!, node: f[2]!, ip: f[3]!, created: Date.parse(f[4]!), ready: f[5]!.startsWith('True') ? Date.parse(f[5]!.slice(4)) : NaN,
    })).sort((a, b) => a.name.localeCompare(b.name));
  };
  const jp = (kind: string, name: string, path: string) => c.k('get', kind, name, '-o', `jsonpath={${path}}`);
  const nodeDir = (node: string) => {
    const n = c.state().plan.nodes.find((x) => x.name === node);
    if (!n) throw new Error(`no node ${node}`);
    return n.dataDir;
  };
  const evict = (pod: string) => c.kubectl(['create', '--raw', `/api/v1/namespaces/default/pods/${pod}/eviction`, '-f', '-'],
    { input: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: 'default' } }) });

  it('db becomes ready in ordinal order: each pod is created only after the one before is Ready', async () => {
    const t0 = Date.now();
    await c.k('apply', '-f', c.manifest('db.yaml', SET));
    // Snapshots of the set's pods (one list each) while it rolls out: no db-N without db-(N-1) Ready.
    const wrong: string[] = [];
    let snapshots = 0;
    let rolledOut = false;
    const observer = (async () => {
      while (!rolledOut) {
        const ps = await pods('db');
        snapshots++;
        for (const p of ps.filter((x) => x.name !== 'db-0')) {
          const prev = ps.find((x) => x.name === `db-${Number(p.name.slice(3)) - 1}`);
          if (!prev || Number.isNaN(prev.ready)) wrong.push(`${p.name} exists while db-${Number(p.name.slice(3)) - 1} is ${prev ? 'not Ready' : 'absent'}`);
        }
      }
    })();
    const r = await c.kubectl(['rollout', 'status', 'sts/db', '--timeout=200s'], { timeoutMs: 220_000 });
    rolledOut = true;
    await observer;
    console.log(`db: 3 pods Ready ${Date.now() - t0} ms after apply (${snapshots} snapshots of the pods taken meanwhile)`);
    expect(wrong).toEqual([]);
    expect(r.stdout, r.stderr).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const ps = await pods('db');
    expect(ps.map((p) => p.name)).toEqual(['db-0', 'db-1', 'db-2']);
    for (const i of [1, 2]) expect(ps[i]!.created).toBeGreaterThanOrEqual(ps[i - 1]!.ready);
    console.log(`db pods on nodes: ${ps.map((p) => `${p.name}=${p.node}`).join(' ')}`);
    expect(await c.k('get', 'sts', 'db')).toMatch(/db\s+3\/3/);
  }, 260_000);

  it('each claim data-db-N is bound to its own PV, pinned to the pod\'s node, with its directory under that node\'s storage/', async () => {
    const ps = await pods('db');
    const pvs = new Set<string>();
    for (const [i, p] of ps.entries()) {
      const claim = `data-db-${i}`;
      expect(await jp('pod', p.name, '.spec.volumes[?(@.name=="data")].persistentVolumeClaim.claimName')).toBe(claim);
      expect(await jp('pvc', claim, '.status.phase')).toBe('Bound');
      expect(await jp('pvc', claim, '.spec.storageClassName')).toBe('local-path');
      const pv = await jp('pvc', claim, '.spec.volumeName');
      expect(pv).toMatch(/^pvc-[0-9a-f-]{36}$/);
      pvs.add(pv);
      expect(await jp('pv', pv, '.status.phase')).toBe('Bound');
      expect(await jp('pv', pv, '.spec.claimRef.name')).toBe(claim);
      const term = await jp('pv', pv, '.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]');
      expect(JSON.parse(term)).toEqual({ key: 'kubernetes.io/hostname', operator: 'In', values: [p.node] });
      const dir = join(nodeDir(p.node), 'storage', pv);
      expect(await jp('pv', pv, '.spec.local.path')).toBe(dir);
      expect(existsSync(dir)).toBe(true);
      expect(readFileSync(join(dir, 'first'), 'utf8')).toBe(`${p.name}\n`);
    }
    expect(pvs.size).toBe(3);
  });

  it('db-1\'s data is there after kubectl delete pod db-1: the new db-1 is on the same node and reads it', async () => {
    const old = (await pods('db')).find((p) => p.name === 'db-1')!;
    const pv = await jp('pvc', 'data-db-1', '.spec.volumeName');
    await c.k('exec', 'db-1', '--', 'sh', '-c', 'echo written-by-db-1 > /data/note');
    const t0 = Date.now();
    await c.k('delete', 'pod', 'db-1');
    const again = await eventually(async () => {
      const p = (await pods('db')).find((x) => x.name === 'db-1');
      expect(p?.uid).toBeDefined();
      expect(p!.uid).not.toBe(old.uid);
      expect(p!.ready).not.toBeNaN();
      return p!;
    }, { timeoutMs: 90_000, intervalMs: 300 });
    console.log(`db-1 back and Ready ${Date.now() - t0} ms after kubectl delete pod returned`);
    expect(again.node).toBe(old.node);
    expect(await jp('pvc', 'data-db-1', '.spec.volumeName')).toBe(pv);
    expect(await c.k('exec', 'db-1', '--', 'cat', '/data/note')).toBe('written-by-db-1\n');
    expect(await c.k('exec', 'db-1', '--', 'cat', '/data/boots')).toBe('db-1\ndb-1\n');
    expect(readFileSync(join(nodeDir(old.node), 'storage', pv, 'note'), 'utf8')).toBe('written-by-db-1\n');
  }, 120_000);

  it('db-2.db.default.svc.cluster.local resolves to db-2\'s IP from another pod, which reads db-1\'s file by its name', async () => {
    const ip = (await pods('db')).find((p) => p.name === 'db-2')!.ip;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await c.k('run', 'client', `--image=${BUSYBOX}`, '--image-pull-policy=IfNotPresent', '--restart=Never', '--', 'sleep', '3600');
    await c.k('wait', '--for=condition=Ready', 'pod/client', '--timeout=120s');
    await eventually(async () => {
      const out = await c.k('exec', 'client', '--', 'nslookup', 'db-2.db.default.svc.cluster.local');
      expect(out).toMatch(new RegExp(`Address: ${ip.replace(/\./g, '\\.')}\\b`));
    }, { timeoutMs: 30_000, intervalMs: 500 });
    // (busybox-static's wget -T crashes with SIGSEGV; timeout(1) bounds it instead)
    expect(await c.k('exec', 'client', '--', 'timeout', '3', 'wget', '-qO-', 'http://db-1.db.default.svc.cluster.local/note')).toBe('written-by-db-1\n');
  }, 180_000);

  it('kubectl scale sts db --replicas=2 removes db-2 and keeps its claim data-db-2 Bound', async () => {
    const before = await pods('db');
    const pv = await jp('pvc', 'data-db-2', '.spec.volumeName');
    await c.k('scale', 'sts', 'db', '--replicas=2');
    await eventually(async () => {
      expect((await pods('db')).map((p) => p.name)).toEqual(['db-0', 'db-1']);
      expect((await c.kubectl(['get', 'pod', 'db-2'])).stderr).toContain('not found');
    }, { timeoutMs: 60_000, intervalMs: 300 });
    expect((await pods('db')).map((p) => p.uid)).toEqual(before.slice(0, 2).map((p) => p.uid));
    expect(await jp('pvc', 'data-db-2', '.status.phase')).toBe('Bound');
    expect(await jp('pvc', 'data-db-2', '.spec.volumeName')).toBe(pv);
    expect(await jp('pv', pv, '.status.phase')).toBe('Bound');
    expect(await c.k('get', 'sts', 'db')).toMatch(/db\s+2\/2/);
  });

  it('a PDB with minAvailable 2: an eviction answers 429; kubectl drain of a db pod\'s node retries and times out', async () => {
    // a pod without a controller would stop the drain before any eviction
    await c.k('delete', 'pod', 'client', '--ignore-not-found', '--grace-period=1');
    await c.k('create', 'pdb', 'db', '--selector=app=db', '--min-available=2');
    await eventually(async () => {
      expect(await c.k('get', 'pdb', 'db')).toMatch(/^db\s+2\s+N\/A\s+0\s+\S+$/m);
    }, { timeoutMs: 30_000, intervalMs: 300 });
    const before = await pods('db');
    const refused = await evict('db-0');
    expect(refused.code, `${refused.stdout}${refused.stderr}`).not.toBe(0);
    expect(refused.stderr).toContain(`Error from server (TooManyRequests): ${VIOLATES}`);

    const node = before[0]!.node;
    const t0 = Date.now();
    const r = await c.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=20s'], { timeoutMs: 60_000 });
    console.log(`drain of ${node} gave up after ${Date.now() - t0} ms`);
    expect(r.code, `${r.stdout}${r.stderr}`).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(`node/${node} cordoned`);
    expect(r.stderr).toMatch(new RegExp(`error when evicting pods/"db-[01]" -n "default" \\(will retry after 5s\\): ${VIOLATES.replace(/[.()]/g, '\\$&')}`));
    expect(r.stderr).toMatch(/error when evicting pods\/"db-[01]" -n "default": global timeout reached: 20s/);
    expect(await jp('node', node, '.spec.unschedulable')).toBe('true');
    expect((await pods('db')).map((p) => p.uid)).toEqual(before.map((p) => p.uid));

    expect(await c.k('uncordon', node)).toContain(`node/${node} uncordoned`);
    expect(await jp('node', node, '.spec.unschedulable')).toBe('');
    await c.k('delete', 'pdb', 'db');
  }, 120_000);

  it('a Deployment pod with a claim on the default class runs; after the Deployment and the claim go, so do its PV and directory', async () => {
    await c.k('apply', '-f', c.manifest('files.yaml', FILES));
    const pod = await eventually(async () => {
      const p = (await pods('files'))[0];
      expect(p?.ready).not.toBeNaN();
      return p!;
    }, { timeoutMs: 90_000, intervalMs: 300 });
    expect(await jp('pvc', 'files', '.status.phase')).toBe('Bound');
    expect(await jp('pvc', 'files', '.metadata.annotations.volume\\.kubernetes\\.io/selected-node')).toBe(pod.node);
    const pv = await jp('pvc', 'files', '.spec.volumeName');
    expect(await jp('pv', pv, '.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]')).toBe(pod.node);
    expect(await jp('pv', pv, '.spec.persistentVolumeReclaimPolicy')).toBe('Delete');
    const dir = join(nodeDir(pod.node), 'storage', pv);
    await eventually(() => { expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('from-files\n'); }, { timeoutMs: 10_000, intervalMs: 200 });

    const t0 = Date.now();
    await c.k('delete', 'deployment', 'files');
    await eventually(async () => { expect(await pods('files')).toHaveLength(0); expect(await c.k('get', 'pods', '-l', 'app=files', '-o', 'name')).toBe(''); }, { timeoutMs: 60_000, intervalMs: 300 });
    await c.k('delete', 'pvc', 'files');
    await eventually(async () => {
      expect((await c.kubectl(['get', 'pv', pv])).stderr).toContain('not found');
    }, { timeoutMs: 60_000, intervalMs: 300 });
    await eventually(() => { expect(existsSync(dir)).toBe(false); }, { timeoutMs: 60_000, intervalMs: 500 });
    console.log(`files: PV and directory gone ${Date.now() - t0} ms after kubectl delete deployment`);
  }, 240_000);
});
