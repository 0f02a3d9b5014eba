import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { deployment } from '../../apiserver/testing/fixtures.js';
import { createScheduler } from '../../scheduler/scheduler.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { registerFakeKubelets } from '../../controller-manager/testing/fake-kubelet.js';
import { createReplicaSetController } from '../replicaset/replicaset-controller.js';
import { createDeploymentController } from './deployment-controller.js';

const PODS = findResource('', 'v1', 'pods')!;
const RS = findResource('apps', 'v1', 'replicasets')!;
const DEPLOY = findResource('apps', 'v1', 'deployments')!;
const EVENTS = findResource('', 'v1', 'events')!;
type D = Deployment & KubeObject;
type R = ReplicaSet & KubeObject;
type P = Pod & KubeObject;
const REV = 'deployment.kubernetes.io/revision';

describe('Deployment controller', () => {
  let env: ControllerEnv;
  const nodes = ['n1', 'n2', 'n3'];

  beforeEach(async () => {
    env = await startControllerEnv();
    const kubelets = await registerFakeKubelets(env.client, nodes);
    env.start(...kubelets, createScheduler(env.ctx), createReplicaSetController(env.ctx), createDeploymentController(env.ctx));
  });
  afterEach(async () => { await env.close(); });

  const getD = (name: string) => env.client.get<D>(DEPLOY, 'default', name);
  const rsOf = async (name: string) => (await env.client.list<R>(RS, 'default', { labelSelector: `app=${name}` })).items;
  const setImage = (name: string, image: string) =>
    env.client.patch(DEPLOY, 'default', name, 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });
  /** kubectl rollout status: done when observed, all updated, no old replicas, all updated available. */
  const rolledOut = async (name: string) => {
    const d = await getD(name);
    const st = d.status ?? {};
    const want = d.spec?.replicas ?? 1;
    expect(st.observedGeneration ?? 0).toBeGreaterThanOrEqual(d.metadata?.generation ?? 0);
    expect(st.updatedReplicas ?? 0).toBeGreaterThanOrEqual(want);
    expect(st.replicas ?? 0).toBeLessThanOrEqual(st.updatedReplicas ?? 0);
    expect(st.availableReplicas ?? 0).toBeGreaterThanOrEqual(st.updatedReplicas ?? 0);
    expect(st.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    return d;
  };
  const create = async (name: string, replicas: number, spec: Record<string, unknown> = {}) => {
    const obj = deployment(name, replicas);
    obj['spec'] = { ...(obj['spec'] as object), ...spec };
    return env.client.create<D>(DEPLOY, 'default', obj);
  };
  const imageOf = (rs: R) => rs.spec?.template?.spec?.containers[0]?.image;

  it('creates a ReplicaSet and pods and reports a complete rollout', async () => {
    const created = await create('web', 3);
    const d = await eventually(() => rolledOut('web'), { timeoutMs: 15_000 }); // a loaded machine rolls slower than the 3 s default
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(d.status?.unavailableReplicas ?? 0).toBe(0);
    expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(d.metadata?.annotations?.[REV]).toBe('1');
    const [rs, ...rest] = await rsOf('web');
    expect(rest).toEqual([]);
    const hash = rs!.metadata?.labels?.['pod-template-hash'] ?? '';
    expect(rs!.metadata?.name).toBe(`web-${hash}`);
    expect(hash).toMatch(/^[bcdfghjkmnpqrstvwxz2456789]+$/);
    expect(rs!.spec?.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata?.annotations).toMatchObject({ [REV]: '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(rs!.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    const pods = (await env.client.list<P>(PODS, 'default', { labelSelector: 'app=web' })).items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata?.generateName === `web-${hash}-`)).toBe(true);
    await eventually(async () => {
      const msgs = (await env.client.list<KubeObject>(EVENTS, 'default')).items.map((e) => `${String(e['reason'])}: ${String(e['message'])}`);
      expect(msgs).toContain(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`);
    }, { timeoutMs: 15_000 });
  });

  it('rolls within maxSurge/maxUnavailable at every step, records revisions, and undo reuses the old ReplicaSet', async () => {
    await create('roll', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    await eventually(() => rolledOut('roll'), { timeoutMs: 15_000 }); // a loaded machine rolls slower than the 3 s default
    const list = await env.client.list<P>(PODS, 'default', { labelSelector: 'app=roll' });
    const pods = new Map(list.items.map((p) => [p.metadata?.uid ?? '', p]));
    const violations: string[] = [];
    let maxLive = 0;
    const ac = new AbortController();
    const watching = (async () => {
      for await (const ev of env.client.watch<P>(PODS, 'default', { resourceVersion: list.resourceVersion, labelSelector: 'app=roll' }, ac.signal)) {
        if (ev.type === 'BOOKMARK') continue;
        if (ev.type === 'DELETED') pods.delete(ev.object.metadata?.uid ?? ''); else pods.set(ev.object.metadata?.uid ?? '', ev.object);
        const live = [...pods.values()].filter((p) => !p.metadata?.deletionTimestamp);
        const available = live.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
        maxLive = Math.max(maxLive, live.length);
        if (live.length > 4 + 1) violations.push(`${live.length} pods`);
        if (available < 4 - 0) violations.push(`${available} available`);
      }
    })().catch(() => undefined);

    await setImage('roll', 'nginx:2');
    await eventually(async () => {
      await rolledOut('roll');
      const rss = await rsOf('roll');
      expect(rss).toHaveLength(2);
      expect(rss.find((r) => imageOf(r) === 'nginx:1.25')?.spec?.replicas).toBe(0);
    }, { timeoutMs: 5000 });
    ac.abort();
    await watching;
    expect(violations).toEqual([]);
    expect(maxLive).toBe(5);

    const rss = await rsOf('roll');
    const v1 = rss.find((r) => imageOf(r) === 'nginx:1.25')!;
    const v2 = rss.find((r) => imageOf(r) === 'nginx:2')!;
    expect(v1.metadata?.annotations?.[REV]).toBe('1');
    expect(v2.metadata?.annotations?.[REV]).toBe('2');
    expect((await getD('roll')).metadata?.annotations?.[REV]).toBe('2');

    // kubectl rollout undo: JSON patch of the old template (hash label dropped, creationTimestamp null)
    const tpl = structuredClone(v1.spec!.template!) as unknown as { metadata: Record<string, unknown> & { labels: Record<string, string> } };
    delete tpl.metadata.labels['pod-template-hash'];
    tpl.metadata['creationTimestamp'] = null;
    await env.client.patch(DEPLOY, 'default', 'roll', 'json', [{ op: 'replace', path: '/spec/template', value: tpl }]);
    await eventually(async () => {
      const d = await rolledOut('roll');
      expect(d.metadata?.annotations?.[REV]).toBe('3');
      const after = await rsOf('roll');
      expect(after).toHaveLength(2);
      const back = after.find((r) => r.metadata?.uid === v1.metadata?.uid)!;
      expect(back.spec?.replicas).toBe(4);
      expect(back.metadata?.annotations).toMatchObject({ [REV]: '3', 'deployment.kubernetes.io/revision-history': '1' });
    }, { timeoutMs: 5000 });
  });

  it('pause stops the rollout but not scaling; resume continues', async () => {
    await create('pz', 2);
    await eventually(() => rolledOut('pz'), { timeoutMs: 15_000 }); // a loaded machine rolls slower than the 3 s default
    await env.client.patch(DEPLOY, 'default', 'pz', 'merge', { spec: { paused: true } });
    await setImage('pz', 'nginx:3');
    await env.client.patch(DEPLOY, 'default', 'pz', 'merge', { spec: { replicas: 3 } });
    await eventually(async () => {
      const d = await getD('pz');
      expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
      expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
      const rss = await rsOf('pz');
      expect(rss).toHaveLength(1);
      expect(rss[0]?.spec?.replicas).toBe(3);
      expect(rss[0]?.status?.readyReplicas).toBe(3);
    }, { timeoutMs: 15_000 });
    await env.client.patch(DEPLOY, 'default', 'pz', 'merge', { spec: { paused: false } });
    await eventually(async () => {
      await rolledOut('pz');
      const rss = await rsOf('pz');
      expect(rss.find((r) => imageOf(r) === 'nginx:3')?.status?.availableReplicas).toBe(3);
      expect((await getD('pz')).metadata?.annotations?.[REV]).toBe('2');
    }, { timeoutMs: 5000 });
  });

  it('Recreate removes every old pod before creating new ones', async () => {
    await create('rc', 2, { strategy: { type: 'Recreate' } });
    await eventually(() => rolledOut('rc'), { timeoutMs: 15_000 }); // a loaded machine rolls slower than the 3 s default
    const list = await env.client.list<P>(PODS, 'default', { labelSelector: 'app=rc' });
    const oldHash = list.items[0]?.metadata?.labels?.['pod-template-hash'];
    const pods = new Map(list.items.map((p) => [p.metadata?.uid ?? '', p]));
    const violations: string[] = [];
    const ac = new AbortController();
    const watching = (async () => {
      for await (const ev of env.client.watch<P>(PODS, 'default', { resourceVersion: list.resourceVersion, labelSelector: 'app=rc' }, ac.signal)) {
        if (ev.type === 'BOOKMARK') continue;
        if (ev.type === 'DELETED') { pods.delete(ev.object.metadata?.uid ?? ''); continue; }
        if (ev.type === 'ADDED') {
          const olds = [...pods.values()].filter((p) => p.metadata?.labels?.['pod-template-hash'] === oldHash);
          if (olds.length > 0) violations.push(`new pod ${ev.object.metadata?.name ?? ''} while ${olds.length} old remain`);
        }
        pods.set(ev.object.metadata?.uid ?? '', ev.object);
      }
    })().catch(() => undefined);
    await setImage('rc', 'nginx:2');
    await eventually(async () => {
      await rolledOut('rc');
      expect((await rsOf('rc')).find((r) => imageOf(r) === 'nginx:2')?.status?.availableReplicas).toBe(2);
    }, { timeoutMs: 5000 });
    ac.abort();
    await watching;
    expect(violations).toEqual([]);
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    await create('hist', 1, { revisionHistoryLimit: 1 });
    await eventually(() => rolledOut('hist'), { timeoutMs: 15_000 }); // a loaded machine rolls slower than the 3 s default
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await setImage('hist', image);
      await eventually(async () => {
        await rolledOut('hist');
        expect((await rsOf('hist')).find((r) => imageOf(r) === image)?.status?.availableReplicas).toBe(1);
      }, { timeoutMs: 5000 });
    }
    await eventually(async () => {
      const rss = await rsOf('hist');
      expect(rss.length).toBeLessThanOrEqual(2);
      expect(rss.map((r) => r.metadata?.annotations?.[REV]).sort()).toEqual(['3', '4']);
    }, { timeoutMs: 15_000 });
  });

  it('rollout restart (a template annotation) makes a new ReplicaSet', async () => {
    await create('rs2', 1);
    await eventually(() => rolledOut('rs2'));
    await env.client.patch(DEPLOY, 'default', 'rs2', 'strategic',
      { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } });
    await eventually(async () => {
      const d = await rolledOut('rs2');
      expect(d.metadata?.annotations?.[REV]).toBe('2');
      expect(await rsOf('rs2')).toHaveLength(2);
    }, { timeoutMs: 5000 });
  });

  it('scales a rollout in progress proportionally', async () => {
    await create('prop', 4);
    await eventually(() => rolledOut('prop'), { timeoutMs: 15_000 }); // a loaded machine rolls slower than the 3 s default
    // the new pods never get scheduled, so the rollout stalls at old 3 / new 2 (surge 1, unavailable 1)
    await env.client.patch(DEPLOY, 'default', 'prop', 'strategic', { spec: { template: { spec: { schedulerName: 'nobody' } } } });
    const sizes = async () => (await rsOf('prop')).map((r) => [r.spec?.template?.spec?.schedulerName ?? 'default', r.spec?.replicas]).sort();
    await eventually(async () => expect(await sizes()).toEqual([['default-scheduler', 3], ['nobody', 2]]));
    await env.client.patch(DEPLOY, 'default', 'prop', 'merge', { spec: { replicas: 8 } });
    await eventually(async () => expect(await sizes()).toEqual([['default-scheduler', 6], ['nobody', 4]]));
  });

  it('reports ProgressDeadlineExceeded when pods never become available', async () => {
    const obj = deployment('stuck', 1);
    const spec = obj['spec'] as { template: { spec: Record<string, unknown> }; progressDeadlineSeconds?: number };
    spec.template.spec['schedulerName'] = 'nobody';
    spec.progressDeadlineSeconds = 1;
    await env.client.create(DEPLOY, 'default', obj);
    await eventually(async () => {
      const c = (await getD('stuck')).status?.conditions?.find((x) => x.type === 'Progressing');
      expect(c).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
      expect(c?.message).toMatch(/^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
    }, { timeoutMs: 5000 });
  });
});
