/**
 * Issue 13: kill -9 of the control plane in the middle of a 200-pod rollout. A Deployment of 200
 * replicas on three fake nodes (test/helpers/fake-nodes.ts) rolls to a new image; while it rolls,
 * writers create ConfigMaps and note every one the server acknowledged (201). The server process is
 * killed with SIGKILL twice, each time started again on the same data dir and port: right after
 * `kubectl set image` returned, and mid-rollout (some of the new pods ready). Then: the
 * rollout completes (the real `kubectl rollout status`), every acknowledged ConfigMap is there with
 * its data, the Deployment, its ReplicaSets and its pods add up to 200 replicas of the new image,
 * and, once the old pods are gone, there are no more pods than replicas. A sampler lists the pods
 * all along and checks the surge bound (replicas + maxSurge) whenever the server answers. On the
 * SQLite store, and on a private etcd when Debian's etcd binary is there.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { ConfigMap, Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { RestClient } from '../../control/client/rest-client.js';
import { HttpsTransport } from '../../control/client/transport.js';
import { TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { FakeNodes } from '../helpers/fake-nodes.js';
import { etcdServerFlags } from '../helpers/etcd-tls.js';
import { ETCD_BINARY, PrivateEtcd } from '../helpers/private-etcd.js';

const PODS = findResource('', 'v1', 'pods')!;
const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const REPLICASETS = findResource('apps', 'v1', 'replicasets')!;
const REPLICAS = 200;
const MAX_SURGE = Math.ceil(REPLICAS * 0.25);
const WRITERS = 4;

type Obj<T> = T & KubeObject;

/** Writers that create ConfigMaps until stopped; `acked` holds the ones the server answered 201 to. */
class AckedWriters {
  readonly acked = new Map<string, string>();
  private stopped = false;
  private running: Promise<void>[] = [];
  private seq = 0;
  constructor(private readonly client: RestClient, private readonly run: string) {}

  start(): void {
    this.running = Array.from({ length: WRITERS }, async () => {
      while (!this.stopped) {
        const name = `ack-${this.run}-${this.seq++}`;
        const value = randomBytes(8).toString('hex');
        try {
          await this.client.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } } as KubeObject);
          this.acked.set(name, value);
        } catch {
          await new Promise((r) => setTimeout(r, 50)); // the server is down or refused: not acknowledged
        }
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }
}

/** Lists the deployment's pods every half second; notes the most live (not deleting) pods seen. */
class PodSampler {
  maxLive = 0;
  samples = 0;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  constructor(private readonly client: RestClient) {}

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        try {
          const l = await this.client.list<Obj<Pod>>(PODS, 'default', { labelSelector: 'app=web' });
          this.maxLive = Math.max(this.maxLive, l.items.filter((p) => !p.metadata?.deletionTimestamp).length);
          this.samples++;
        } catch { /* the server is down: no sample */ }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}

function clientFor(cp: TestControlPlane): { client: RestClient; close: () => void } {
  const transport = new HttpsTransport({ server: cp.url, caCertPem: cp.caCert, token: cp.token });
  return { client: new RestClient(transport, { fieldManager: 'kill9-test' }), close: () => transport.close() };
}

/**
 * `kubectl rollout status` until it reports success or the deadline passes (a run can end early
 * when the server is slow to answer on a busy machine: that is not the rollout's failure).
 */
async function rolloutStatus(cp: TestControlPlane, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let out = '';
  while (Date.now() < deadline) {
    const left = Math.max(1, Math.round((deadline - Date.now()) / 1000));
    const r = await cp.kubectl(['rollout', 'status', 'deployment/web', `--timeout=${left}s`], { timeoutMs: left * 1000 + 10_000 });
    out = r.stdout + r.stderr;
    if (r.code === 0) return out;
    await new Promise((res) => setTimeout(res, 1000));
  }
  return out;
}

const imageOf = (o: { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }): string | undefined => o.spec?.template?.spec?.containers?.[0]?.image;

function rolloutUnderKill9(storeName: string, make: () => Promise<TestControlPlane>, cleanup: () => Promise<void> = async () => undefined): void {
  describe(`kill -9 of the control plane during a ${REPLICAS}-pod rollout (${storeName})`, () => {
    let cp: TestControlPlane;
    let nodes: FakeNodes;
    let api: { client: RestClient; close: () => void };
    beforeAll(async () => {
      cp = await make();
      await cp.start();
      nodes = new FakeNodes(cp);
      await nodes.add({ name: 'node-a', cpu: '64' }, { name: 'node-b', cpu: '64' }, { name: 'node-c', cpu: '64' });
      api = clientFor(cp);
    });
    afterAll(async () => {
      nodes?.stop();
      api?.close();
      await cp?.destroy();
      await cleanup();
    });

    it('the rollout completes after the restarts; no acknowledged write is lost; 200 pods of the new image and no more', async () => {
      const { client } = api;
      await cp.k('create', 'deployment', 'web', '--image=tinykube/web:1', `--replicas=${REPLICAS}`);
      expect(await rolloutStatus(cp, 240_000)).toContain('deployment "web" successfully rolled out');

      const writers = new AckedWriters(client, randomBytes(3).toString('hex'));
      const sampler = new PodSampler(client);
      writers.start();
      sampler.start();
      try {
        await cp.k('set', 'image', 'deployment/web', 'web=tinykube/web:2');
        // the first kill: right after the acknowledged template change, before the controllers act on it
        await cp.kill9();
        await cp.start();
        // mid-rollout: the new ReplicaSet has some ready pods, far from all
        await eventually(async () => {
          const rss = await client.list<Obj<ReplicaSet>>(REPLICASETS, 'default', { labelSelector: 'app=web' });
          const fresh = rss.items.find((rs) => imageOf(rs) === 'tinykube/web:2');
          expect(fresh?.status?.readyReplicas ?? 0).toBeGreaterThanOrEqual(20);
        }, { timeoutMs: 120_000, intervalMs: 100 });
        const before = await client.list<Obj<ReplicaSet>>(REPLICASETS, 'default', { labelSelector: 'app=web' });
        const freshReady = before.items.find((rs) => imageOf(rs) === 'tinykube/web:2')?.status?.readyReplicas ?? 0;
        expect(freshReady).toBeLessThan(REPLICAS);
        const ackedBeforeKill = writers.acked.size;
        await cp.kill9();
        await cp.start();
        expect(await rolloutStatus(cp, 240_000)).toContain('deployment "web" successfully rolled out');
        expect(ackedBeforeKill).toBeGreaterThan(0);
      } finally {
        await writers.stop();
        await sampler.stop();
      }

      // every acknowledged write is there, with its data
      const cms = await client.list<Obj<ConfigMap>>(CONFIGMAPS, 'default');
      const stored = new Map(cms.items.map((c) => [c.metadata?.name ?? '', c.data?.value]));
      const lost = [...writers.acked].filter(([name, value]) => stored.get(name) !== value).map(([name]) => name);
      expect(lost).toEqual([]);
      expect(writers.acked.size).toBeGreaterThan(0);

      const dep = await client.get<Obj<Deployment>>(DEPLOYMENTS, 'default', 'web');
      expect(imageOf(dep)).toBe('tinykube/web:2');
      expect(dep.status).toMatchObject({ replicas: REPLICAS, updatedReplicas: REPLICAS, readyReplicas: REPLICAS, availableReplicas: REPLICAS });
      const rss = (await client.list<Obj<ReplicaSet>>(REPLICASETS, 'default', { labelSelector: 'app=web' })).items;
      const byImage = new Map(rss.map((rs) => [imageOf(rs), rs]));
      expect(rss).toHaveLength(2);
      expect(byImage.get('tinykube/web:2')?.spec?.replicas).toBe(REPLICAS);
      expect(byImage.get('tinykube/web:2')?.status?.readyReplicas).toBe(REPLICAS);
      expect(byImage.get('tinykube/web:1')?.spec?.replicas).toBe(0);

      // the old pods go; then exactly the replicas, all of the new image, Running, each on a node
      const pods = await eventually(async () => {
        const l = (await client.list<Obj<Pod>>(PODS, 'default', { labelSelector: 'app=web' })).items;
        expect(l).toHaveLength(REPLICAS);
        return l;
      }, { timeoutMs: 60_000, intervalMs: 250 });
      expect(pods.filter((p) => p.spec?.containers?.[0]?.image !== 'tinykube/web:2').map((p) => p.metadata?.name)).toEqual([]);
      expect(pods.filter((p) => p.status?.phase !== 'Running' || !p.spec?.nodeName || p.metadata?.deletionTimestamp)).toEqual([]);
      expect(new Set(pods.map((p) => p.metadata?.name)).size).toBe(REPLICAS);
      expect(sampler.samples).toBeGreaterThan(0);
      expect(sampler.maxLive).toBeLessThanOrEqual(REPLICAS + MAX_SURGE);
    });
  });
}

rolloutUnderKill9('SQLite', async () => new TestControlPlane());

const PREFIX = `/tk-kill9-${randomBytes(6).toString('hex')}`;
const etcdSkip = existsSync(ETCD_BINARY) ? undefined : `no ${ETCD_BINARY} (apt-get install etcd-server; scripts/test does)`;
if (etcdSkip !== undefined) console.warn(`rollout-kill9.e2e.test.ts (etcd) skipped: ${etcdSkip}`);
if (etcdSkip === undefined) {
  const etcd = new PrivateEtcd();
  rolloutUnderKill9('etcd', async () => {
    await etcd.start();
    return new TestControlPlane({ store: `etcd://${etcd.endpoint}?prefix=${PREFIX}`, extraArgs: etcdServerFlags(etcd.pki) });
  }, () => etcd.destroy());
}
