/**
 * persistentVolumeClaimRetentionPolicy as ownerReferences on the claims (PURE; upstream
 * isClaimOwnerUpToDate / updateClaimOwnerRefForSetAndPod): whenDeleted=Delete makes the set the
 * claim's controller, so the garbage collector removes the claim with the set; whenScaled=Delete
 * makes a scaled-down pod the claim's controller, so the claim goes with that pod. Retain/Retain
 * leaves claims unowned. Claims owned by an earlier set or pod of the same name (stale UID), or
 * by another controller, are left alone.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { inOrdinalRange, ordinalOf, setControllerRef } from './stateful-pod.js';

interface Owner { apiVersion: string; kind: string; name: string; uid: string }

const setOwner = (set: StatefulSet): Owner => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata?.name ?? '', uid: set.metadata?.uid ?? '' });
const podOwner = (pod: Pod): Owner => ({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' });
const matchesRef = (r: OwnerReference, o: Owner): boolean => r.apiVersion === o.apiVersion && r.kind === o.kind && r.name === o.name;
const hasRef = (c: PersistentVolumeClaim, o: Owner): boolean => !!o.uid && (c.metadata?.ownerReferences ?? []).some((r) => r.uid === o.uid);
const hasStaleRef = (c: PersistentVolumeClaim, o: Owner): boolean => {
  const r = (c.metadata?.ownerReferences ?? []).find((x) => matchesRef(x, o));
  return !!r && r.uid !== o.uid;
};

function policyOf(set: StatefulSet): { deleted: boolean; scaled: boolean } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { deleted: p?.whenDeleted === 'Delete', scaled: p?.whenScaled === 'Delete' };
}

function unexpectedController(c: PersistentVolumeClaim, set: Owner, pod: Owner, retainAll: boolean): boolean {
  if (retainAll) return false;
  for (const r of c.metadata?.ownerReferences ?? []) {
    if (matchesRef(r, set)) { if (r.uid !== set.uid) return true; continue; }
    if (matchesRef(r, pod)) { if (r.uid !== pod.uid) return true; continue; }
    if (r.controller) return true;
  }
  return false;
}

/** Which of set and pod should own the claim. */
function wantedOwners(set: StatefulSet, pod: Pod): { set: boolean; pod: boolean } {
  const p = policyOf(set);
  const scaledDown = !inOrdinalRange(set, ordinalOf(pod));
  return {
    set: p.deleted && !(p.scaled && scaledDown),
    pod: p.scaled && scaledDown,
  };
}

/** True when the claim's ownerReferences already say what the policy wants (or must not be touched). */
export function claimOwnersUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const so = setOwner(set);
  const po = podOwner(pod);
  if (hasStaleRef(claim, so) || hasStaleRef(claim, po)) return true;
  const p = policyOf(set);
  if (unexpectedController(claim, so, po, !p.deleted && !p.scaled)) return !(hasRef(claim, so) || hasRef(claim, po));
  const nonController = (claim.metadata?.ownerReferences ?? []).some((r) => (r.uid === so.uid || r.uid === po.uid) && !r.controller);
  if (nonController) return false;
  const want = wantedOwners(set, pod);
  return hasRef(claim, so) === want.set && hasRef(claim, po) === want.pod;
}

/** The claim's ownerReferences as the policy wants them (refs to others kept). */
export function claimOwnerRefs(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const so = setOwner(set);
  const po = podOwner(pod);
  const p = policyOf(set);
  const unexpected = unexpectedController(claim, so, po, !p.deleted && !p.scaled);
  const refs = (claim.metadata?.ownerReferences ?? []).filter((r) => !matchesRef(r, so) && !matchesRef(r, po));
  if (unexpected) return refs;
  const want = wantedOwners(set, pod);
  if (want.set) refs.push(setControllerRef(set));
  if (want.pod && po.uid) refs.push({ ...po, controller: true, blockOwnerDeletion: true });
  return refs;
}

/** Upstream PodClaimIsStale: with whenScaled=Delete, a claim owned by an earlier pod of this name blocks the new pod. */
export function claimIsStale(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  if (!policyOf(set).scaled) return false;
  const po = podOwner(pod);
  const r = (claim.metadata?.ownerReferences ?? []).find((x) => matchesRef(x, po));
  return !!r && r.uid !== po.uid;
}
