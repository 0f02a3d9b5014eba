/**
 * PURE: which PersistentVolume a claim may bind to (upstream pkg/controller/volume/persistentvolume
 * index.go findMatchingVolume): a volume pre-bound to the claim (its claimRef names the claim) wins;
 * otherwise the smallest Available, unclaimed volume of the claim's class whose access modes include
 * the claim's, whose capacity covers the request, whose labels match the claim's selector, whose
 * volumeMode equals the claim's and, when a node is given, whose node affinity admits that node.
 * Unbound volumes are skipped under delayed binding without a node (the scheduler binds those).
 */
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { matchNodeSelectorTerms, nodeFieldsOf } from './node-affinity.js';
import { selectorFromLabelSelectorOrEverything } from './labels.js';
import { quantityOf } from './quantity.js';

/** spec.storageClassName, else the beta annotation; '' for none. */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

export function volumeClass(pv: PersistentVolume): string {
  return pv.spec?.storageClassName ?? pv.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

/** Bytes of a quantity; NaN when it does not parse (such a volume never matches). */
export function bytesOf(q: unknown): number {
  try { return quantityOf(q); } catch { return Number.NaN; } // a bad quantity matches nothing
}

export const requestedBytes = (pvc: PersistentVolumeClaim): number => bytesOf(pvc.spec?.resources?.requests?.['storage'] ?? '0');
export const capacityBytes = (pv: PersistentVolume): number => bytesOf(pv.spec?.capacity?.['storage'] ?? '0');

/** Whether the claim's claimRef on the volume names this claim (uid checked when set). */
export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata?.name || (ref.namespace ?? '') !== (pvc.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === pvc.metadata?.uid;
}

/** Whether the volume's node affinity admits the node (no affinity admits every node). */
export function volumeFitsNode(pv: PersistentVolume, node: Node): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  return matchNodeSelectorTerms(terms, nodeFieldsOf(node));
}

/** Why the volume cannot serve the claim, or undefined when it can (class, modes, size, selector, mode). */
export function mismatch(pv: PersistentVolume, pvc: PersistentVolumeClaim): string | undefined {
  if (volumeClass(pv) !== claimClass(pvc)) return 'storage class differs';
  const modes = new Set(pv.spec?.accessModes ?? []);
  if (!(pvc.spec?.accessModes ?? []).every((m) => modes.has(m))) return 'access modes differ';
  const want = requestedBytes(pvc);
  const have = capacityBytes(pv);
  if (!(have >= want)) return 'capacity too small';
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return 'volume mode differs';
  const sel = pvc.spec?.selector;
  if (sel && !selectorFromLabelSelectorOrEverything(sel).matches(pv.metadata?.labels ?? {})) return 'selector does not match';
  return undefined;
}

export interface MatchOptions {
  /** The node the claim's pod goes to (scheduler, or the claim's selected-node). */
  node?: Node;
  /** WaitForFirstConsumer: without a node only pre-bound volumes match. */
  delayBinding?: boolean;
  /** Volume names another claim is about to take (the scheduler's assumed bindings). */
  taken?: ReadonlySet<string>;
}

/** The best volume for the claim, or undefined (upstream findMatchingVolume). */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: readonly PersistentVolume[], o: MatchOptions = {}): PersistentVolume | undefined {
  let best: PersistentVolume | undefined;
  for (const pv of volumes) {
    if (pv.metadata?.deletionTimestamp) continue;
    if (o.node && !volumeFitsNode(pv, o.node)) continue;
    if (isVolumeBoundToClaim(pv, pvc)) {
      if (mismatch(pv, pvc) === undefined || pv.spec?.claimRef?.uid) return pv; // pre-bound: the user asked for it
      continue;
    }
    if (pv.spec?.claimRef) continue; // another claim's
    if (pvc.spec?.volumeName && pvc.spec.volumeName !== pv.metadata?.name) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (o.taken?.has(pv.metadata?.name ?? '')) continue;
    if (o.delayBinding && !o.node) continue;
    if (mismatch(pv, pvc) !== undefined) continue;
    if (!best || capacityBytes(pv) < capacityBytes(best)) best = pv;
  }
  return best;
}
