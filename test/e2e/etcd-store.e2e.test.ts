/**
 * The real `tinykube server` on etcd (--store etcd://…?prefix=…), driven by the real kubectl: a
 * Deployment gets its ReplicaSet and (Pending: there are no nodes) pods, `kubectl get -w` sees an
 * update, every resourceVersion is the object's etcd mod_revision, and after a restart of the server
 * process the objects are still there with the same resourceVersions. The etcd is a private one (TLS
 * and client certificates, the server's --etcd-cafile/--etcd-certfile/--etcd-keyfile) on
 * free ports (revisions and compaction are etcd-wide: the store conformance run on the test etcd
 * must not see our writes). Skips only without Debian's etcd binary (scripts/test installs it).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { ETCD_BINARY, PrivateEtcd } from '../helpers/private-etcd.js';
import { etcdClient, etcdServerFlags } from '../helpers/etcd-tls.js';

const PREFIX = `/tk-e2e-${randomBytes(6).toString('hex')}`;
const skipReason = existsSync(ETCD_BINARY) ? undefined : `no ${ETCD_BINARY} (apt-get install etcd-server; scripts/test does)`;
if (skipReason !== undefined) console.warn(`etcd-store.e2e.test.ts skipped: ${skipReason}`);

/** kind/name=resourceVersion of the deployment's objects, sorted. */
const OBJECTS = ['deployments,replicasets,pods', '-l', 'app=web', '-o',
  'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{"\\n"}{end}'];
const lines = (out: string): string[] => out.split('\n').filter(Boolean).sort();

describe.skipIf(skipReason !== undefined)('tinykube server on etcd, driven by kubectl', () => {
  const server = new PrivateEtcd();
  let cp: TestControlPlane;
  let etcd: Etcd3;
  beforeAll(async () => {
    await server.start();
    cp = new TestControlPlane({ store: `etcd://${server.endpoint}?prefix=${PREFIX}`, extraArgs: etcdServerFlags(server.pki) });
    etcd = etcdClient(server.endpoint, server.pki);
    await cp.start();
  }, 60_000);
  afterAll(async () => {
    await cp?.destroy();
    etcd?.close();
    await server.destroy();
  });

  it('stores a Deployment under /registry in etcd; the controllers create its ReplicaSet and pods', async () => {
    await cp.k('create', 'deployment', 'web', '--image=tinykube/web:1', '--replicas=2');
    await eventually(async () => {
      const objs = lines(await cp.k('get', ...OBJECTS));
      expect(objs.filter((l) => l.startsWith('ReplicaSet/web-'))).toHaveLength(1);
      expect(objs.filter((l) => l.startsWith('Pod/web-'))).toHaveLength(2);
    }, { timeoutMs: 20_000, intervalMs: 100 });
    expect(await cp.k('get', 'pods', '-l', 'app=web')).toMatch(/Pending/);
    const rv = (await cp.k('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.resourceVersion}')).trim();
    const kv = (await etcd.get(`${PREFIX}/registry/deployments/default/web`).exec()).kvs[0];
    expect(kv?.mod_revision).toBe(rv);
    const keys = await etcd.getAll().prefix(`${PREFIX}/registry/`).keys();
    expect(keys.some((k) => k.startsWith(`${PREFIX}/registry/replicasets/default/web-`))).toBe(true);
  });

  it('kubectl get -w sees an update', async () => {
    const watch = spawn('kubectl', ['--kubeconfig', cp.kubeconfig, '--cache-dir', cp.cacheDir, 'get', 'deployment', 'web', '-w',
      '-o', 'jsonpath={.metadata.name} replicas={.spec.replicas}{"\\n"}'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watch.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    watch.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    try {
      await eventually(async () => { expect(out).toContain('web replicas=2'); }, { timeoutMs: 10_000, intervalMs: 100 });
      await cp.k('scale', 'deployment', 'web', '--replicas=3');
      await eventually(async () => { expect(out).toContain('web replicas=3'); }, { timeoutMs: 10_000, intervalMs: 100 });
    } finally {
      watch.kill();
    }
    await eventually(async () => {
      expect(lines(await cp.k('get', ...OBJECTS)).filter((l) => l.startsWith('Pod/web-'))).toHaveLength(3);
    }, { timeoutMs: 20_000, intervalMs: 100 });
  });

  it('keeps the objects and their resourceVersions across a server restart', async () => {
    // Let the controllers settle: the same snapshot twice, a second apart.
    let before: string[] = [];
    await eventually(async () => {
      const a = lines(await cp.k('get', ...OBJECTS));
      await new Promise((r) => setTimeout(r, 1000));
      before = lines(await cp.k('get', ...OBJECTS));
      expect(before).toEqual(a);
    }, { timeoutMs: 30_000, intervalMs: 100 });
    expect(before.filter((l) => l.startsWith('Pod/'))).toHaveLength(3);
    await cp.stop();
    await cp.start();
    expect(lines(await cp.k('get', ...OBJECTS))).toEqual(before);
    const highest = Math.max(...before.map((l) => Number(l.split('=')[1])));
    await cp.k('create', 'configmap', 'after-restart', '--from-literal=a=b');
    const rv = Number(await cp.k('get', 'configmap', 'after-restart', '-o', 'jsonpath={.metadata.resourceVersion}'));
    expect(rv).toBeGreaterThan(highest);
  });
});
