/**
 * One PersistentVolume, level-based (upstream syncVolume and pv-protection): keep the pv-protection
 * finalizer (dropped once a deleted volume is no longer Bound); Available while no claim holds it;
 * Bound while its claim names it; Released once its claim is gone, then reclaimed by policy: Retain
 * keeps it Released, Delete deletes a volume the built-in local-path provisioner made (its node's
 * agent then removes the directory) and fails any other (tinykube has no deleter for it), as
 * Recycle (deprecated upstream) does.
 */
import { isApiError } from '../../api/status.js';
import { ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, LOCAL_PATH_PROVISIONER, PV_PROTECTION } from '../../api/storage-names.js';
import { PVS } from './pv-env.js';
import type { PvEnv, PvObj } from './pv-env.js';

type Phase = 'Available' | 'Bound' | 'Released' | 'Failed';

const ignore404 = (err: unknown) => { if (!(isApiError(err) && err.code === 404)) throw err; };

async function setPhase(env: PvEnv, pv: PvObj, phase: Phase, message?: string): Promise<void> {
  if (pv.status?.phase === phase && (message === undefined || pv.status.message === message)) return;
  const status = { phase, message: message ?? null, reason: null };
  await env.client.patch(PVS, undefined, pv.metadata?.name ?? '', 'merge', { status }, { subresource: 'status' }).catch(ignore404);
}

export async function syncVolume(env: PvEnv, name: string): Promise<{ requeueAfterMs: number } | void> {
  const pv = env.volume(name);
  if (!pv) return;
  const md = pv.metadata ?? {};
  const finalizers = md.finalizers ?? [];
  if (md.deletionTimestamp) {
    if (finalizers.includes(PV_PROTECTION) && pv.status?.phase !== 'Bound') {
      await env.client.patch(PVS, undefined, name, 'json', [
        { op: 'test', path: '/metadata/resourceVersion', value: md.resourceVersion },
        { op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((f) => f !== PV_PROTECTION) },
      ]).catch(ignore404);
      env.log.info({ pv: name }, 'Removed protection finalizer from PV');
      return;
    }
  } else if (!finalizers.includes(PV_PROTECTION)) {
    await env.client.patch(PVS, undefined, name, 'merge', { metadata: { finalizers: [...finalizers, PV_PROTECTION], resourceVersion: md.resourceVersion } }).catch(ignore404);
    return;
  }
  const ref = pv.spec?.claimRef;
  if (!ref) return setPhase(env, pv, 'Available');
  if (!ref.uid) return setPhase(env, pv, 'Available'); // pre-bound by a user, waiting for its claim
  let claim = env.claim(`${ref.namespace ?? ''}/${ref.name ?? ''}`);
  // the cache may not have a claim just made: ask the API before calling the volume released
  if (claim?.metadata?.uid !== ref.uid) claim = await env.fetchClaim(ref.namespace ?? '', ref.name ?? '');
  if (claim && claim.metadata?.uid === ref.uid) {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) return; // the claim's side of the binding is still to come (its sync is queued)
    if (volumeName === name) return setPhase(env, pv, 'Bound');
    // the claim went to another volume: a binding we made is undone, a user's is left alone
    if (md.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
      await env.client.patch(PVS, undefined, name, 'merge', { metadata: { resourceVersion: md.resourceVersion }, spec: { claimRef: null } });
    }
    return;
  }
  // the claim is gone (or a new one of the same name): released
  if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') {
    await setPhase(env, pv, 'Released');
    return;
  }
  if (pv.status.phase === 'Failed' || md.deletionTimestamp) return;
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Retain') return;
  if (policy === 'Delete' && md.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER) {
    await env.client.delete(PVS, undefined, name, { preconditions: { uid: md.uid } }).catch(ignore404);
    env.log.info({ pv: name }, 'Deleted released volume');
    return;
  }
  const message = policy === 'Delete'
    ? `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`
    : 'recycling is not supported: only Retain and Delete (of provisioned volumes) are';
  env.recorder.event(pv, 'Warning', policy === 'Delete' ? 'VolumeFailedDelete' : 'VolumeFailedRecycle', message);
  await setPhase(env, pv, 'Failed', message);
}
