/**
 * The Deployment controller: deployments, their ReplicaSets (mapped to the controlling
 * deployment, orphans to every deployment whose selector matches) and pod deletions (which a
 * Recreate rollout waits for) feed one work queue of deployment keys.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey } from '../controller.js';
import { DeploymentReconciler, deploymentSelector } from './deployment-reconciler.js';
import { DEPLOYMENTS, REPLICASETS } from './deployment-sync.js';

const PODS = findResource('', 'v1', 'pods')!;
const COMPONENT = 'deployment-controller';
/** Upstream --concurrent-deployment-syncs default. */
const WORKERS = 5;

export interface DeploymentControllerHandle extends Runnable { readonly controller: Controller }

export function createDeploymentController(ctx: ControllerContext): DeploymentControllerHandle {
  const deployments = ctx.informers.for<Deployment & KubeObject>(DEPLOYMENTS);
  const replicaSets = ctx.informers.for<ReplicaSet & KubeObject>(REPLICASETS);
  const pods = ctx.informers.for<Pod & KubeObject>(PODS);
  const log = ctx.log;

  const controllerKey = (obj: KubeObject, kind: string, lookup: (key: string) => KubeObject | undefined): ObjectKey | undefined => {
    const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
    if (!ref || ref.kind !== kind) return undefined;
    const key = `${obj.metadata?.namespace ?? ''}/${ref.name}`;
    return lookup(key)?.metadata?.uid === ref.uid ? key : undefined;
  };
  const rsToKeys = (rs: KubeObject): ObjectKey[] => {
    if (rs.metadata?.ownerReferences?.some((r) => r.controller === true)) {
      const k = controllerKey(rs, 'Deployment', (key) => deployments.cache.get(key));
      return k ? [k] : [];
    }
    return deployments.cache.list(rs.metadata?.namespace)
      .filter((d) => deploymentSelector(d)?.matches(rs.metadata?.labels) ?? false).map((d) => keyOf(d));
  };

  const reconciler = new DeploymentReconciler({
    client: ctx.client, deployments, replicaSets, pods, recorder: ctx.recorder(COMPONENT), clock: ctx.clock, log,
  });
  const controller = new Controller({
    name: COMPONENT, reconciler, workers: WORKERS, log,
    watches: [
      { informer: deployments as Informer<KubeObject>, toKeys: (d) => [keyOf(d)] },
      { informer: replicaSets as Informer<KubeObject>, toKeys: rsToKeys },
      // pods only matter on deletion (below); listed here so workers wait for the pod cache
      { informer: pods as Informer<KubeObject>, toKeys: () => [] },
    ],
  });
  pods.on({
    delete: (p) => {
      const rsKey = controllerKey(p, 'ReplicaSet', (key) => replicaSets.cache.get(key));
      const rs = rsKey ? replicaSets.cache.get(rsKey) : undefined;
      const dKey = rs ? controllerKey(rs, 'Deployment', (key) => deployments.cache.get(key)) : undefined;
      if (dKey && deployments.cache.get(dKey)?.spec?.strategy?.type === 'Recreate') controller.enqueue(dKey);
    },
  });
  return { controller, run: (signal) => controller.run(signal) };
}
