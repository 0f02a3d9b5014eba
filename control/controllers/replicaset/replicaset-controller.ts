/**
 * The ReplicaSet and ReplicationController controllers: one reconciler parametrised by kind.
 * Pod events map to the controlling owner (or, for orphans, to every owner whose selector
 * matches, so they get adopted) and feed the expectations before the key is queued.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey } from '../controller.js';
import { ControllerExpectations, observePods } from '../shared/expectations.js';
import { controllerOf } from './pod-claim.js';
import { REPLICATION_CONTROLLER_KIND, REPLICA_SET_KIND } from './replica-kind.js';
import type { ReplicaKind, ReplicaOwner } from './replica-kind.js';
import { ReplicaReconciler } from './replica-reconciler.js';

const PODS = findResource('', 'v1', 'pods')!;
/** Upstream --concurrent-replicaset-syncs default. */
const WORKERS = 5;

export interface ReplicaControllerHandle extends Runnable { readonly controller: Controller }

export function createReplicaController(ctx: ControllerContext, kind: ReplicaKind): ReplicaControllerHandle {
  const owners = ctx.informers.for<ReplicaOwner>(kind.ri);
  const pods = ctx.informers.for<Pod & KubeObject>(PODS);
  const expectations = new ControllerExpectations({ clock: ctx.clock });
  const log = ctx.log;

  /** The key of the owner of this kind that controls the pod (checked by uid), if any. */
  const controllingKey = (pod: KubeObject): ObjectKey | undefined => {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== kind.kind) return undefined;
    const key = `${pod.metadata?.namespace ?? ''}/${ref.name}`;
    return owners.cache.get(key)?.metadata?.uid === ref.uid ? key : undefined;
  };
  const podToKeys = (pod: KubeObject): ObjectKey[] => {
    if (controllerOf(pod)) { const k = controllingKey(pod); return k ? [k] : []; }
    const labels = pod.metadata?.labels;
    return owners.cache.list(pod.metadata?.namespace).filter((o) => kind.selector(o).matches(labels)).map((o) => keyOf(o));
  };

  pods.on(observePods(expectations, (p) => {
    const k = controllingKey(p);
    return k ? [k] : [];
  }));

  const reconciler = new ReplicaReconciler({
    kind, client: ctx.client, owners, pods, expectations, recorder: ctx.recorder(kind.component), clock: ctx.clock, log,
  });
  const controller = new Controller({
    name: kind.component, reconciler, workers: WORKERS, log,
    watches: [
      { informer: owners as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
      { informer: pods as Informer<KubeObject>, toKeys: podToKeys },
    ],
  });
  return { controller, run: (signal) => controller.run(signal) };
}

export function createReplicaSetController(ctx: ControllerContext): ReplicaControllerHandle {
  return createReplicaController(ctx, REPLICA_SET_KIND);
}

export function createReplicationControllerController(ctx: ControllerContext): ReplicaControllerHandle {
  return createReplicaController(ctx, REPLICATION_CONTROLLER_KIND);
}
