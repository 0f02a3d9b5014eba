/**
 * Scaling without a rollout (upstream sync.go): when spec.replicas changed or the deployment is
 * paused, resize the active ReplicaSets — the only active one directly, several proportionally to
 * their size within replicas + maxSurge — and trim old ReplicaSets beyond revisionHistoryLimit.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isApiError } from '../../api/status.js';
import type { DeploymentSync } from './deployment-sync.js';
import { REPLICASETS } from './deployment-sync.js';
import {
  bySizeNewer, bySizeOlder, byRevision, desiredReplicasAnnotation, filterActive, findActiveOrLatest, isRollingUpdate,
  isSaturated, maxSurge, proportion, replicasOf, specReplicas,
} from './deployment-util.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';

/** Upstream isScalingEvent: an active RS was sized for a different spec.replicas. */
export async function isScalingEvent(sync: DeploymentSync, rsList: readonly ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(sync, rsList, false);
  return filterActive([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== replicasOf(sync.d);
  });
}

/** Scale, clean up, and write the status (no rollout). */
export async function syncScale(sync: DeploymentSync, rsList: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(sync, rsList, false);
  const updated = await scale(sync, newRS, oldRSs);
  const byUid = (rs: ReplicaSet) => updated.get(rs.metadata?.uid ?? '') ?? rs;
  const olds = oldRSs.map(byUid);
  const nrs = newRS ? byUid(newRS) : undefined;
  await cleanupDeployment(sync, olds);
  await sync.syncDeploymentStatus(nrs ? [...olds, nrs] : olds, nrs);
}

async function scale(sync: DeploymentSync, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): Promise<Map<string, ReplicaSet>> {
  const out = new Map<string, ReplicaSet>();
  const put = (rs: ReplicaSet) => out.set(rs.metadata?.uid ?? '', rs);
  const d = sync.d;
  const want = replicasOf(d);
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (replicasOf(only) !== want) put((await sync.scaleReplicaSet(only, want)).rs);
    return out;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of filterActive(oldRSs)) put((await sync.scaleReplicaSet(rs, 0)).rs);
    return out;
  }
  if (!isRollingUpdate(d)) return out;

  const active = filterActive([...oldRSs, newRS]);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(active);
  if (toAdd > 0) active.sort(bySizeNewer);
  else if (toAdd < 0) active.sort(bySizeOlder);
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return replicasOf(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return replicasOf(rs) + p;
  });
  for (let i = 0; i < active.length; i++) {
    let size = sizes[i] ?? 0;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    put((await sync.scaleReplicaSet(active[i]!, size)).rs);
  }
  return out;
}

/** Delete the oldest fully scaled-down old ReplicaSets beyond spec.revisionHistoryLimit. */
export async function cleanupDeployment(sync: DeploymentSync, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const limit = sync.d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - limit;
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i]!;
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await sync.o.client.delete(REPLICASETS, rs.metadata?.namespace, rs.metadata?.name ?? '', { preconditions: { uid: rs.metadata?.uid } });
    } catch (err) {
      if (!(isApiError(err) && err.code === 404)) throw err; // already gone: fine
    }
  }
}
