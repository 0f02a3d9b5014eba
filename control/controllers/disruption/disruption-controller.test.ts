import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { deployment, pod } from '../../apiserver/testing/fixtures.js';
import { createScheduler } from '../../scheduler/scheduler.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { registerFakeKubelets } from '../../controller-manager/testing/fake-kubelet.js';
import { createDeploymentController } from '../deployment/deployment-controller.js';
import { createReplicaSetController } from '../replicaset/replicaset-controller.js';
import { createDisruptionController } from './disruption-controller.js';

const PODS = findResource('', 'v1', 'pods')!;
const PDBS = findResource('policy', 'v1', 'poddisruptionbudgets')!;
const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
type PDB = PodDisruptionBudget & KubeObject;

const pdb = (name: string, app: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { selector: { matchLabels: { app } }, ...spec } });

describe('disruption controller', () => {
  let env: ControllerEnv;
  beforeEach(async () => {
    env = await startControllerEnv({ gc: false }); // the GC would delete the pod owned by a missing ReplicaSet
    const kubelets = await registerFakeKubelets(env.client, ['n1']);
    env.start(...kubelets, createScheduler(env.ctx), createReplicaSetController(env.ctx), createDeploymentController(env.ctx), createDisruptionController(env.ctx));
  });
  afterEach(async () => { await env.close(); });

  const status = async (name: string) => (await env.client.get<PDB>(PDBS, 'default', name)).status;
  const condition = async (name: string) => (await status(name))?.conditions?.find((c) => c.type === 'DisruptionAllowed');

  it('computes a Deployment\'s budgets, follows a scale-up, and counts an eviction in flight', async () => {
    await env.client.create(DEPLOYMENTS, 'default', deployment('web', 3));
    await env.client.create(PDBS, 'default', pdb('min', 'web', { minAvailable: 2 }));
    await env.client.create(PDBS, 'default', pdb('max', 'web', { maxUnavailable: '50%' }));
    await eventually(async () => {
      expect(await status('min')).toMatchObject({ expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1, observedGeneration: 1 });
      expect(await condition('min')).toMatchObject({ status: 'True', reason: 'SufficientPods', observedGeneration: 1 });
      expect(await status('max')).toMatchObject({ expectedPods: 3, desiredHealthy: 1, currentHealthy: 3, disruptionsAllowed: 2 });
    }, { timeoutMs: 15_000 });

    // the eviction handler's record: the pod no longer counts while it is on its way out
    const pods = (await env.client.list(PODS, 'default', { labelSelector: 'app=web' })).items;
    const cur = await env.client.get<PDB>(PDBS, 'default', 'min');
    const victim = pods[0]!.metadata!.name!;
    await env.client.update(PDBS, { ...cur, status: { ...cur.status!, disruptionsAllowed: 0, disruptedPods: { [victim]: new Date().toISOString() } } } as KubeObject, { subresource: 'status' });
    await eventually(async () => {
      expect(await status('min')).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0, disruptedPods: { [victim]: expect.any(String) } });
      expect(await condition('min')).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    }, { timeoutMs: 10_000 });

    await env.client.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 4 } });
    await eventually(async () => {
      expect(await status('max')).toMatchObject({ expectedPods: 4, desiredHealthy: 2 });
    }, { timeoutMs: 15_000 });
  }, 30_000);

  it('a spec change bumps the generation: the status follows it', async () => {
    await env.client.create(DEPLOYMENTS, 'default', deployment('web', 2));
    await env.client.create(PDBS, 'default', pdb('p', 'web', { minAvailable: 1 }));
    await eventually(async () => expect(await status('p')).toMatchObject({ disruptionsAllowed: 1, observedGeneration: 1 }), { timeoutMs: 15_000 });
    await env.client.patch(PDBS, 'default', 'p', 'merge', { spec: { minAvailable: 2 } });
    await eventually(async () => expect(await status('p')).toMatchObject({ desiredHealthy: 2, disruptionsAllowed: 0, observedGeneration: 2 }), { timeoutMs: 10_000 });
  }, 30_000);

  it('resets a stale DisruptionTarget condition of a pod that was never deleted', async () => {
    await env.client.create(PODS, 'default', pod('evicted', { labels: { app: 'x' } }));
    await eventually(async () => expect((await env.client.get<Pod & KubeObject>(PODS, 'default', 'evicted')).status?.phase).toBe('Running'), { timeoutMs: 10_000 });
    const cur = await env.client.get<Pod & KubeObject>(PODS, 'default', 'evicted');
    const old = new Date(Date.now() - 3 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditions = [...(cur.status?.conditions ?? []), { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: old }];
    await env.client.update(PODS, { ...cur, status: { ...cur.status, conditions } } as KubeObject, { subresource: 'status' });
    await eventually(async () => {
      const c = (await env.client.get<Pod & KubeObject>(PODS, 'default', 'evicted')).status?.conditions?.find((x) => x.type === 'DisruptionTarget');
      expect(c).toMatchObject({ status: 'False' });
      expect(c?.lastTransitionTime).not.toBe(old);
    }, { timeoutMs: 10_000 });
  }, 30_000);

  it('bare pods: an int minAvailable works; a pod whose controller is missing fails safe with SyncFailed', async () => {
    await env.client.create(PODS, 'default', pod('bare1', { labels: { app: 'bare' } }));
    await env.client.create(PODS, 'default', pod('bare2', { labels: { app: 'bare' } }));
    await env.client.create(PDBS, 'default', pdb('bare', 'bare', { minAvailable: 1 }));
    await eventually(async () => expect(await status('bare')).toMatchObject({ expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 }), { timeoutMs: 15_000 });

    const orphan = pod('orphan', { labels: { app: 'lost' } });
    orphan.metadata = { ...orphan.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid', controller: true }] };
    await env.client.create(PODS, 'default', orphan);
    await env.client.create(PDBS, 'default', pdb('lost', 'lost', { maxUnavailable: 1 }));
    await eventually(async () => {
      expect(await status('lost')).toMatchObject({ disruptionsAllowed: 0 });
      expect(await condition('lost')).toMatchObject({ status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "orphan"' });
    }, { timeoutMs: 15_000 });
  }, 30_000);
});
