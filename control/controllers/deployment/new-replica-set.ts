/**
 * Finding or creating the deployment's new ReplicaSet (upstream getNewReplicaSet): the one whose
 * template equals the deployment's (ignoring the hash label). An existing one — e.g. the old
 * revision `rollout undo` brings back — gets its annotations synced and its revision raised above
 * every old one; a missing one is created as `<deploy>-<hash>` with the hash label on template,
 * selector and labels. A name taken by a foreign RS bumps status.collisionCount.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isApiError } from '../../api/status.js';
import { REASON, getCondition, newCondition, setCondition } from './deployment-conditions.js';
import type { DeploymentSync } from './deployment-sync.js';
import { REPLICASETS } from './deployment-sync.js';
import { REVISION_ANNOTATION, byCreationOldest, maxRevision, newRSNewReplicas, setNewReplicaSetAnnotations } from './deployment-util.js';
import { POD_TEMPLATE_HASH_LABEL, computeHash, templatesEqualIgnoringHash } from './pod-template-hash.js';

export interface ReplicaSetSplit { newRS?: ReplicaSet; oldRSs: ReplicaSet[] }

/** Oldest first, the first RS whose template matches the deployment's; the rest are old. */
export function splitReplicaSets(sync: DeploymentSync, rsList: readonly ReplicaSet[]): ReplicaSetSplit {
  const sorted = sync.current(rsList).sort(byCreationOldest);
  const newRS = sorted.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, sync.d.spec?.template));
  return { newRS, oldRSs: sorted.filter((rs) => rs !== newRS) };
}

export async function getAllReplicaSetsAndSyncRevision(sync: DeploymentSync, rsList: readonly ReplicaSet[], create: boolean): Promise<ReplicaSetSplit> {
  const { newRS: existing, oldRSs } = splitReplicaSets(sync, rsList);
  const newRevision = maxRevision(oldRSs) + 1n;
  const d = sync.d;
  if (existing) {
    let copy = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
      copy.spec = { ...copy.spec!, minReadySeconds: minReady };
      copy = await sync.updateReplicaSet(copy);
    }
    await sync.setDeploymentRevision(copy.metadata?.annotations?.[REVISION_ANNOTATION] ?? String(newRevision));
    if (d.spec?.progressDeadlineSeconds !== undefined && !getCondition(sync.d.status, 'Progressing')) {
      const st = structuredClone(sync.d.status ?? {});
      setCondition(st, newCondition('Progressing', 'True', REASON.foundNewRS, `Found new replica set "${copy.metadata?.name ?? ''}"`, sync.now()));
      await sync.writeStatus(st);
    }
    return { newRS: copy, oldRSs };
  }
  if (!create) return { oldRSs };
  return { newRS: await createNewReplicaSet(sync, oldRSs, newRevision), oldRSs };
}

async function createNewReplicaSet(sync: DeploymentSync, oldRSs: ReplicaSet[], newRevision: bigint): Promise<ReplicaSet> {
  const d = sync.d;
  const md = d.metadata ?? {};
  const hash = computeHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec?.template ?? {});
  template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `${md.name ?? ''}-${hash}`, namespace: md.namespace, labels: { ...(template.metadata.labels ?? {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: md.name ?? '', uid: md.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, oldRSs, rs);
  rs.spec!.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false);

  let created: ReplicaSet;
  try {
    created = await sync.o.client.create<ReplicaSet & KubeObject>(REPLICASETS, md.namespace, rs as KubeObject);
  } catch (err) {
    if (isApiError(err) && err.code === 409 && err.reason === 'AlreadyExists') return adoptOrCollide(sync, rs, err);
    const st = structuredClone(d.status ?? {});
    const msg = `Failed to create new replica set "${rs.metadata?.name ?? ''}": ${err instanceof Error ? err.message : String(err)}`;
    setCondition(st, newCondition('Progressing', 'False', REASON.failedRSCreate, msg, sync.now()));
    await sync.writeStatus(st);
    throw err;
  }
  sync.created(created);
  if (replicas > 0) sync.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name ?? ''} from 0 to ${replicas}`);
  await sync.setDeploymentRevision(String(newRevision));
  if (sync.d.spec?.progressDeadlineSeconds !== undefined) {
    const st = structuredClone(sync.d.status ?? {});
    setCondition(st, newCondition('Progressing', 'True', REASON.newRSCreated, `Created new replica set "${created.metadata?.name ?? ''}"`, sync.now()));
    await sync.writeStatus(st);
  }
  return created;
}

/** The name exists: ours with the same template (a lagging cache) is fine; anything else is a hash collision. */
async function adoptOrCollide(sync: DeploymentSync, rs: ReplicaSet, cause: unknown): Promise<ReplicaSet> {
  const md = rs.metadata ?? {};
  const existing = await sync.o.client.get<ReplicaSet & KubeObject>(REPLICASETS, md.namespace, md.name ?? '');
  const ours = existing.metadata?.ownerReferences?.some((r) => r.controller && r.uid === sync.d.metadata?.uid);
  if (ours && templatesEqualIgnoringHash(existing.spec?.template, sync.d.spec?.template)) return existing;
  const st = structuredClone(sync.d.status ?? {});
  st.collisionCount = (st.collisionCount ?? 0) + 1;
  await sync.writeStatus(st);
  throw new Error(`replica set ${md.name ?? ''}: hash collision; collisionCount raised to ${st.collisionCount}`, { cause });
}
