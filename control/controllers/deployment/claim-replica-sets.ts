/**
 * ReplicaSet adoption and release for a Deployment (upstream ClaimReplicaSets): keep the ones it
 * controls that match its selector, adopt matching orphans, release controlled ones that stopped
 * matching. PUTs carry the cached resourceVersion.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { Selector } from '../../api/labels.js';
import { isApiError } from '../../api/status.js';
import type { RestClient } from '../../client/rest-client.js';
import { REPLICASETS } from './deployment-sync.js';

export function deploymentRef(d: Deployment): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata?.name ?? '', uid: d.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export async function claimReplicaSets(client: RestClient, d: Deployment, selector: Selector, candidates: readonly ReplicaSet[]): Promise<ReplicaSet[]> {
  const uid = d.metadata?.uid;
  const deleting = !!d.metadata?.deletionTimestamp;
  const out: ReplicaSet[] = [];
  for (const rs of candidates) {
    const refs = rs.metadata?.ownerReferences ?? [];
    const ctrl = refs.find((r) => r.controller === true);
    const matches = selector.matches(rs.metadata?.labels);
    if (ctrl) {
      if (ctrl.uid !== uid) continue;
      if (matches || deleting) { out.push(rs); continue; }
      await writeRefs(client, rs, refs.filter((r) => r.uid !== uid));
      continue;
    }
    if (!matches || deleting || rs.metadata?.deletionTimestamp) continue;
    const adopted = await writeRefs(client, rs, [...refs, deploymentRef(d)]);
    if (adopted) out.push(adopted);
  }
  return out;
}

async function writeRefs(client: RestClient, rs: ReplicaSet, refs: OwnerReference[]): Promise<ReplicaSet | undefined> {
  const copy = structuredClone(rs);
  copy.metadata = { ...copy.metadata, ownerReferences: refs };
  if (refs.length === 0) delete copy.metadata.ownerReferences;
  try {
    return await client.update<ReplicaSet & KubeObject>(REPLICASETS, { ...copy, apiVersion: 'apps/v1', kind: 'ReplicaSet' } as KubeObject);
  } catch (err) {
    if (isApiError(err) && err.code === 404) return undefined; // gone: nothing to claim
    throw err;
  }
}
