/**
 * The PersistentVolume controller (upstream's persistentvolume binder with the pv- and
 * pvc-protection controllers and tinykube's built-in local-path provisioner): two work queues, one
 * of claims (ns/name) and one of volumes (name), fed by claims, volumes, classes, nodes and pods.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import { syncClaim } from './claim-sync.js';
import { CLASSES, NODES, PODS, PVCS, PVS } from './pv-env.js';
import type { PvEnv, PvObj, PvcObj } from './pv-env.js';
import { claimClass } from '../../api/volume-match.js';
import { syncVolume } from './volume-sync.js';

type PodObj = Pod & KubeObject;

export function createPersistentVolumeController(ctx: ControllerContext): Runnable {
  const pvs = ctx.informers.for<PvObj>(PVS);
  const pvcs = ctx.informers.for<PvcObj>(PVCS);
  const classes = ctx.informers.for<StorageClass & KubeObject>(CLASSES);
  const nodes = ctx.informers.for<Node & KubeObject>(NODES);
  const pods = ctx.informers.for<PodObj>(PODS);
  const env: PvEnv = {
    client: ctx.client,
    recorder: ctx.recorder('persistentvolume-controller'),
    log: ctx.log,
    volume: (name) => pvs.cache.get(name),
    volumes: () => pvs.cache.list(),
    claim: (key) => pvcs.cache.get(key),
    async fetchClaim(namespace, name) {
      try { return await ctx.client.get<PvcObj>(PVCS, namespace, name); } catch (err) {
        if (isApiError(err) && err.code === 404) return undefined;
        throw err;
      }
    },
    storageClass: (name) => classes.cache.get(name),
    node: (name) => nodes.cache.get(name),
    pods: (namespace) => pods.cache.list().filter((p) => p.metadata?.namespace === namespace),
  };
  const asObj = <T>(i: Informer<T & KubeObject>) => i as unknown as Informer<KubeObject>;
  const claimOfVolume = (o: KubeObject): string[] => {
    const ref = (o as PvObj).spec?.claimRef;
    return ref?.name ? [`${ref.namespace ?? ''}/${ref.name}`] : [];
  };
  const claimsOfPod = (o: KubeObject): string[] => {
    const p = o as PodObj;
    return (p.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim?.claimName ? [`${p.metadata?.namespace ?? ''}/${v.persistentVolumeClaim.claimName}`] : []));
  };
  const pendingClaims = () => pvcs.cache.list().filter((c) => c.status?.phase !== 'Bound').map((c) => keyOf(c));
  const claims = new Controller({
    name: 'persistentvolume-claims', workers: 2, log: ctx.log,
    reconciler: { reconcile: (key) => syncClaim(env, key) },
    watches: [
      { informer: asObj(pvcs), toKeys: (o) => [keyOf(o)] },
      { informer: asObj(pvs), toKeys: claimOfVolume },
      { informer: asObj(pods), toKeys: claimsOfPod },
      { informer: asObj(classes), toKeys: (o) => pvcs.cache.list().filter((c) => claimClass(c) === o.metadata?.name && c.status?.phase !== 'Bound').map((c) => keyOf(c)) },
      { informer: asObj(nodes), toKeys: () => pendingClaims() },
    ],
  });
  const volumeOfClaim = (o: KubeObject): string[] => {
    const c = o as PvcObj;
    const named = c.spec?.volumeName ? [c.spec.volumeName] : [];
    const holding = pvs.cache.list().filter((v) => v.spec?.claimRef?.uid && v.spec.claimRef.uid === c.metadata?.uid).map((v) => v.metadata?.name ?? '');
    return [...new Set([...named, ...holding])];
  };
  const volumes = new Controller({
    name: 'persistentvolume-volumes', workers: 2, log: ctx.log,
    reconciler: { reconcile: (key) => syncVolume(env, key) },
    watches: [
      { informer: asObj(pvs), toKeys: (o) => [o.metadata?.name ?? ''] },
      { informer: asObj(pvcs), toKeys: volumeOfClaim },
    ],
  });
  return {
    async run(signal) {
      await Promise.all([claims.run(signal), volumes.run(signal)]);
    },
  };
}
