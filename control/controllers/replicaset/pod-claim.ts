/**
 * Adoption and release (upstream PodControllerRefManager.ClaimPods): of the pods in the owner's
 * namespace, keep those it controls that still match its selector, adopt matching orphans (add a
 * controller ownerReference) and release controlled pods that no longer match (drop the
 * reference). Writes are PUTs carrying the cached resourceVersion, so a stale view conflicts and
 * the reconcile is retried instead of clobbering a newer pod.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { Selector } from '../../api/labels.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { RestClient } from '../../client/rest-client.js';

const PODS = findResource('', 'v1', 'pods')!;

export interface ClaimOptions {
  client: RestClient;
  /** The owner's controller reference (uid identifies it). */
  ref: OwnerReference;
  selector: Selector;
  /** The owner is being deleted: adopt nothing, release nothing. */
  ownerDeleting: boolean;
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** Returns the pods the owner controls after claiming (adopted ones included). */
export async function claimPods(o: ClaimOptions, pods: readonly Pod[]): Promise<Pod[]> {
  const claimed: Pod[] = [];
  for (const pod of pods) {
    const ctrl = controllerOf(pod as KubeObject);
    const matches = o.selector.matches(pod.metadata?.labels);
    if (ctrl) {
      if (ctrl.uid !== o.ref.uid) continue;
      if (matches || o.ownerDeleting) { claimed.push(pod); continue; }
      await writeOwnerRefs(o.client, pod, (pod.metadata?.ownerReferences ?? []).filter((r) => r.uid !== o.ref.uid));
      continue;
    }
    if (!matches || o.ownerDeleting || pod.metadata?.deletionTimestamp) continue;
    const adopted = await writeOwnerRefs(o.client, pod, [...(pod.metadata?.ownerReferences ?? []), o.ref]);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

/** PUT the pod with new ownerReferences; undefined when it is gone. */
async function writeOwnerRefs(client: RestClient, pod: Pod, refs: OwnerReference[]): Promise<Pod | undefined> {
  const copy = structuredClone(pod) as Pod & KubeObject;
  copy.apiVersion = 'v1';
  copy.kind = 'Pod';
  copy.metadata = { ...copy.metadata, ownerReferences: refs };
  if (refs.length === 0) delete copy.metadata.ownerReferences;
  try {
    return await client.update<Pod & KubeObject>(PODS, copy);
  } catch (err) {
    if (isApiError(err) && err.code === 404) return undefined; // gone: nothing to claim or release
    throw err;
  }
}
