/**
 * One PersistentVolumeClaim, level-based (upstream syncClaim / syncUnboundClaim / syncBoundClaim):
 * keep the pvc-protection finalizer (and drop it once no running pod uses a deleted claim); bind an
 * unbound claim to the best matching volume, or provision one through its class (the built-in
 * local-path provisioner, once the scheduler has selected a node under WaitForFirstConsumer), or
 * wait with the upstream event; mark a bound claim Lost when its volume is gone or taken.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { keyOf } from '../../api/object.js';
import { isApiError } from '../../api/status.js';
import { isPodTerminal } from '../../api/pod-conditions.js';
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER,
  LOCAL_PATH_PROVISIONER, PVC_PROTECTION,
} from '../../api/storage-names.js';
import { provisionLocalPath, provisionedName } from './local-path-provisioner.js';
import { PVCS, PVS } from './pv-env.js';
import type { PvEnv, PvObj, PvcObj } from './pv-env.js';
import { claimClass, findMatchingVolume, isVolumeBoundToClaim, mismatch } from '../../api/volume-match.js';

/** Does a pod that is not finished use the claim (upstream pvc-protection's podUsesPVC)? */
export function podUsesClaim(pod: Pod, claimName: string): boolean {
  if (isPodTerminal(pod) || (!pod.spec?.nodeName && pod.metadata?.deletionTimestamp)) return false;
  return (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claimName
    || (v.ephemeral !== undefined && `${pod.metadata?.name ?? ''}-${v.name}` === claimName));
}

const ignore404 = (err: unknown) => { if (!(isApiError(err) && err.code === 404)) throw err; };

export async function syncClaim(env: PvEnv, key: string): Promise<{ requeueAfterMs: number } | void> {
  const pvc = env.claim(key);
  if (!pvc) return;
  const md = pvc.metadata ?? {};
  const finalizers = md.finalizers ?? [];
  if (md.deletionTimestamp) {
    if (!finalizers.includes(PVC_PROTECTION)) return;
    if (env.pods(md.namespace ?? '').some((p) => podUsesClaim(p, md.name ?? ''))) return; // a pod's deletion requeues us
    await env.client.patch(PVCS, md.namespace, md.name ?? '', 'json', [
      { op: 'test', path: '/metadata/resourceVersion', value: md.resourceVersion },
      { op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((f) => f !== PVC_PROTECTION) },
    ]).catch(ignore404);
    env.log.info({ pvc: key }, 'Removed protection finalizer from PVC');
    return;
  }
  if (!finalizers.includes(PVC_PROTECTION)) {
    await env.client.patch(PVCS, md.namespace, md.name ?? '', 'merge', { metadata: { finalizers: [...finalizers, PVC_PROTECTION], resourceVersion: md.resourceVersion } }).catch(ignore404);
    return; // the update brings us back
  }
  if (md.annotations?.[ANN_BIND_COMPLETED]) return syncBoundClaim(env, pvc);
  return syncUnboundClaim(env, pvc);
}

async function setClaimPhase(env: PvEnv, pvc: PvcObj, phase: 'Pending' | 'Bound' | 'Lost', pv?: PvObj): Promise<void> {
  const want = phase === 'Bound' && pv
    ? { phase, accessModes: pv.spec?.accessModes ?? [], capacity: pv.spec?.capacity ?? {} }
    : { phase, ...(phase === 'Pending' ? { accessModes: null, capacity: null } : {}) };
  const cur = pvc.status ?? {};
  if (cur.phase === phase && (phase !== 'Bound' || JSON.stringify(cur.capacity) === JSON.stringify(pv?.spec?.capacity))) return;
  await env.client.patch(PVCS, pvc.metadata?.namespace, pvc.metadata?.name ?? '', 'merge', { status: want }, { subresource: 'status' }).catch(ignore404);
}

async function syncBoundClaim(env: PvEnv, pvc: PvcObj): Promise<void> {
  const volumeName = pvc.spec?.volumeName ?? '';
  const pv = volumeName ? env.volume(volumeName) : undefined;
  if (!pv) {
    if (pvc.status?.phase !== 'Lost') env.recorder.event(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    return setClaimPhase(env, pvc, 'Lost');
  }
  if (!pv.spec?.claimRef) return bind(env, pvc, pv);
  if (isVolumeBoundToClaim(pv, pvc)) return bind(env, pvc, pv); // finishes a half-done bind; writes only differences
  if (pvc.status?.phase !== 'Lost') env.recorder.event(pvc, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  return setClaimPhase(env, pvc, 'Lost');
}

async function syncUnboundClaim(env: PvEnv, pvc: PvcObj): Promise<{ requeueAfterMs: number } | void> {
  const requested = pvc.spec?.volumeName;
  if (requested) {
    const pv = env.volume(requested);
    if (!pv) {
      env.recorder.event(pvc, 'Normal', 'FailedBinding', `volume "${requested}" not found`);
      return setClaimPhase(env, pvc, 'Pending');
    }
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, pvc)) {
      env.recorder.event(pvc, 'Warning', 'FailedBinding', 'volume "' + requested + '" already bound to a different claim.');
      return setClaimPhase(env, pvc, 'Pending');
    }
    const why = mismatch(pv, pvc);
    if (why && !pv.spec?.claimRef) {
      env.recorder.event(pvc, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${requested}": ${why}`);
      return setClaimPhase(env, pvc, 'Pending');
    }
    return bind(env, pvc, pv);
  }
  const className = claimClass(pvc);
  const sc = className ? env.storageClass(className) : undefined;
  const delayBinding = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const selected = pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
  const node = selected ? env.node(selected) : undefined;
  const pv = findMatchingVolume(pvc, env.volumes(), { delayBinding, ...(node ? { node } : {}) }) as PvObj | undefined;
  if (pv) return bind(env, pvc, pv);
  await setClaimPhase(env, pvc, 'Pending');
  if (delayBinding && !selected) {
    env.recorder.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    return;
  }
  if (!className) {
    env.recorder.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    return;
  }
  if (!sc) {
    env.recorder.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
    return { requeueAfterMs: 15_000 };
  }
  return provision(env, pvc, sc.provisioner, () => provisionLocalPath(pvc, sc, node));
}

async function provision(env: PvEnv, pvc: PvcObj, provisioner: string, make: () => ReturnType<typeof provisionLocalPath>): Promise<{ requeueAfterMs: number } | void> {
  const md = pvc.metadata ?? {};
  if (md.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
    await env.client.patch(PVCS, md.namespace, md.name ?? '', 'merge', {
      metadata: { annotations: { [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner } },
    }).catch(ignore404);
    return; // the update brings us back
  }
  if (provisioner !== LOCAL_PATH_PROVISIONER) {
    env.recorder.event(pvc, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
    return;
  }
  if (env.volume(provisionedName(pvc))) return; // made already; the cache will show it bound to us
  const made = make();
  if (!made.ok) {
    env.recorder.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${claimClass(pvc)}": ${made.message}`);
    return { requeueAfterMs: 15_000 };
  }
  try {
    await env.client.create(PVS, undefined, made.pv as PvObj);
  } catch (err) {
    if (!(isApiError(err) && err.code === 409)) throw new Error(`create volume for claim ${keyOf(pvc)}`, { cause: err });
  }
  env.log.info({ pvc: keyOf(pvc), pv: made.pv.metadata?.name }, 'Provisioned volume');
  env.recorder.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${made.pv.metadata?.name ?? ''}`);
}

/** Bind both sides (upstream bind): the volume's claimRef and phase, then the claim's volumeName, annotations and phase. */
async function bind(env: PvEnv, pvc: PvcObj, pv: PvObj): Promise<void> {
  const cmd = pvc.metadata ?? {};
  const vmd = pv.metadata ?? {};
  const ref = pv.spec?.claimRef;
  if (!ref?.uid || ref.uid !== cmd.uid) {
    const claimRef = { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: cmd.namespace, name: cmd.name, uid: cmd.uid, resourceVersion: cmd.resourceVersion };
    const annotations = ref ? {} : { [ANN_BOUND_BY_CONTROLLER]: 'yes' };
    await env.client.patch(PVS, undefined, vmd.name ?? '', 'merge', { metadata: { annotations, resourceVersion: vmd.resourceVersion }, spec: { claimRef } });
    return; // the volume's update brings both back
  }
  if (pv.status?.phase !== 'Bound') await env.client.patch(PVS, undefined, vmd.name ?? '', 'merge', { status: { phase: 'Bound' } }, { subresource: 'status' });
  const name = vmd.name ?? '';
  const ann = cmd.annotations ?? {};
  if (pvc.spec?.volumeName !== name || ann[ANN_BIND_COMPLETED] !== 'yes') {
    const annotations: Record<string, string> = { [ANN_BIND_COMPLETED]: 'yes' };
    if (pvc.spec?.volumeName !== name) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
    await env.client.patch(PVCS, cmd.namespace, cmd.name ?? '', 'merge', { metadata: { annotations, resourceVersion: cmd.resourceVersion }, spec: { volumeName: name } });
    env.log.info({ pvc: keyOf(pvc), pv: name }, 'Bound claim to volume');
    return;
  }
  await setClaimPhase(env, pvc, 'Bound', pv);
}

