import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { createScheduler } from '../../scheduler/scheduler.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { registerFakeKubelets } from '../../controller-manager/testing/fake-kubelet.js';
import { createStatefulSetController } from './statefulset-controller.js';

const STS = findResource('apps', 'v1', 'statefulsets')!;
const PODS = findResource('', 'v1', 'pods')!;
const CLAIMS = findResource('', 'v1', 'persistentvolumeclaims')!;
const REVISIONS = findResource('apps', 'v1', 'controllerrevisions')!;

function statefulSet(name: string, spec: Partial<NonNullable<StatefulSet['spec']>> = {}): KubeObject {
  const s: StatefulSet = {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' },
    spec: {
      replicas: 3, serviceName: name, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } },
      ...spec,
    },
  };
  return s as unknown as KubeObject;
}

describe('StatefulSetController', () => {
  let env: ControllerEnv;
  const pods = async () => (await env.client.list<Pod & KubeObject>(PODS, 'default')).items.filter((p) => !p.metadata?.deletionTimestamp);
  const get = () => env.client.get<StatefulSet & KubeObject>(STS, 'default', 'db');
  const revisions = async () => (await env.client.list<ControllerRevision & KubeObject>(REVISIONS, 'default')).items;

  beforeEach(async () => {
    env = await startControllerEnv();
    const kubelets = await registerFakeKubelets(env.client, ['n1']);
    env.start(...kubelets, createScheduler(env.ctx), createStatefulSetController(env.ctx));
  });
  afterEach(async () => { await env.close(); });

  it('creates pods in order, each after the previous is Ready, and scales down from the top', async () => {
    const created: string[] = [];
    const seen = new Set<string>();
    await env.client.create(STS, 'default', statefulSet('db'));
    await eventually(async () => {
      for (const p of await pods()) {
        const name = p.metadata?.name ?? '';
        if (!seen.has(name)) { seen.add(name); created.push(name); }
      }
      expect((await pods()).filter((p) => p.status?.phase === 'Running')).toHaveLength(3);
    });
    expect(created).toEqual(['db-0', 'db-1', 'db-2']);
    const all = await pods();
    // each pod was created after its predecessor turned Ready
    const ready = (p: Pod) => Date.parse(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
    const born = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '');
    const byName = new Map(all.map((p) => [p.metadata?.name, p]));
    expect(born(byName.get('db-1')!)).toBeGreaterThanOrEqual(Math.floor(ready(byName.get('db-0')!) / 1000) * 1000);
    expect(byName.get('db-2')!.spec).toMatchObject({ hostname: 'db-2', subdomain: 'db' });
    await eventually(async () => expect((await get()).status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 1 }));
    const st = (await get()).status!;
    expect(st.currentRevision).toBe(st.updateRevision);
    expect(st.currentRevision).toMatch(/^db-[a-z0-9]+$/);
    const revs = await revisions();
    expect(revs.map((r) => [r.metadata?.name, r.revision])).toEqual([[st.currentRevision, 1]]);
    expect(revs[0]!.data).toMatchObject({ spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'c', image: 'web:1' }] } } } });

    await env.client.patch(STS, 'default', 'db', 'merge', { spec: { replicas: 1 } }, { subresource: 'scale' });
    await eventually(async () => expect((await pods()).map((p) => p.metadata?.name)).toEqual(['db-0']));
    await eventually(async () => expect((await get()).status).toMatchObject({ replicas: 1, readyReplicas: 1 }));
  });

  it('rolls an update from the highest ordinal down, and a rollback reuses the old revision', async () => {
    await env.client.create(STS, 'default', statefulSet('db'));
    await eventually(async () => expect((await get()).status).toMatchObject({ readyReplicas: 3 }));
    const r1 = (await get()).status!.currentRevision!;
    const order: string[] = [];
    const ac = new AbortController();
    const list = await env.client.list<Pod & KubeObject>(PODS, 'default');
    const watching = (async () => {
      for await (const ev of env.client.watch<Pod & KubeObject>(PODS, 'default', { resourceVersion: list.resourceVersion }, ac.signal)) {
        if (ev.type === 'ADDED') order.push(ev.object.metadata?.name ?? '');
      }
    })().catch(() => undefined);
    await env.client.patch(STS, 'default', 'db', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } });
    await eventually(async () => {
      const s = (await get()).status!;
      expect(s.updateRevision).not.toBe(r1);
      expect(s).toMatchObject({ currentRevision: s.updateRevision, updatedReplicas: 3, readyReplicas: 3 });
    }, { timeoutMs: 8000 });
    ac.abort();
    await watching;
    expect(order).toEqual(['db-2', 'db-1', 'db-0']);
    expect((await pods()).every((p) => p.spec?.containers[0]?.image === 'web:2')).toBe(true);
    const r2 = (await get()).status!.updateRevision!;

    // what kubectl rollout undo sends: the old revision's data as a strategic merge patch
    const old = (await revisions()).find((r) => r.metadata?.name === r1)!;
    await env.client.patch(STS, 'default', 'db', 'strategic', old.data);
    await eventually(async () => {
      const s = (await get()).status!;
      expect(s).toMatchObject({ currentRevision: r1, updateRevision: r1, updatedReplicas: 3, readyReplicas: 3 });
    }, { timeoutMs: 8000 });
    const revs = await revisions();
    expect(revs.map((r) => [r.metadata?.name, r.revision]).sort()).toEqual([[r1, 3], [r2, 2]].sort());
  });

  it('partition holds lower ordinals at the old revision', async () => {
    await env.client.create(STS, 'default', statefulSet('db', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
    await eventually(async () => expect((await get()).status).toMatchObject({ readyReplicas: 3 }));
    await env.client.patch(STS, 'default', 'db', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } });
    await eventually(async () => expect((await get()).status).toMatchObject({ updatedReplicas: 1, readyReplicas: 3, observedGeneration: 2 }));
    const images = Object.fromEntries((await pods()).map((p) => [p.metadata?.name, p.spec?.containers[0]?.image]));
    expect(images).toEqual({ 'db-0': 'web:1', 'db-1': 'web:1', 'db-2': 'web:2' });
  });
});

/** Without a scheduler: pods with claims nobody binds stay unscheduled, which is all this needs. */
describe('StatefulSetController claims', () => {
  let env: ControllerEnv;
  const pods = async () => (await env.client.list<Pod & KubeObject>(PODS, 'default')).items.filter((p) => !p.metadata?.deletionTimestamp);
  beforeEach(async () => {
    env = await startControllerEnv();
    env.start(createStatefulSetController(env.ctx));
  });
  afterEach(async () => { await env.close(); });

  it('creates claims named <template>-<set>-<ordinal> and keeps them on scale down', async () => {
    await env.client.create(STS, 'default', statefulSet('db', {
      replicas: 2, podManagementPolicy: 'Parallel',
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }));
    await eventually(async () => {
      const claims = (await env.client.list<PersistentVolumeClaim & KubeObject>(CLAIMS, 'default')).items;
      expect(claims.map((c) => c.metadata?.name).sort()).toEqual(['www-db-0', 'www-db-1']);
      expect(claims[0]!.metadata?.labels).toEqual({ app: 'db' });
      expect((await pods()).map((p) => p.metadata?.name).sort()).toEqual(['db-0', 'db-1']);
    });
    const p1 = (await pods()).find((p) => p.metadata?.name === 'db-1')!;
    expect(p1.spec?.volumes?.[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-db-1' } });
    await env.client.patch(STS, 'default', 'db', 'merge', { spec: { replicas: 1 } });
    await eventually(async () => expect((await pods()).map((p) => p.metadata?.name)).toEqual(['db-0']));
    const claims = (await env.client.list<PersistentVolumeClaim & KubeObject>(CLAIMS, 'default')).items;
    expect(claims.map((c) => c.metadata?.name).sort()).toEqual(['www-db-0', 'www-db-1']);
  });
});
