/**
 * RollingUpdate (upstream rolling.go): scale the new ReplicaSet up within maxSurge, then scale
 * old ones down while at least replicas − maxUnavailable stay available (unhealthy old replicas
 * first), one step per sync; the informers bring the next sync.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { DeploymentSync } from './deployment-sync.js';
import { deploymentComplete } from './deployment-status.js';
import {
  availableReplicas, byCreationOldest, filterActive, maxUnavailable, newRSNewReplicas, replicasOf, specReplicas,
} from './deployment-util.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { cleanupDeployment } from './scale.js';

export async function rolloutRolling(sync: DeploymentSync, rsList: readonly ReplicaSet[]): Promise<void> {
  const split = await getAllReplicaSetsAndSyncRevision(sync, rsList, true);
  let newRS = split.newRS!;
  let oldRSs = split.oldRSs;
  const all = () => [...oldRSs, newRS];

  const up = await reconcileNewReplicaSet(sync, all(), newRS);
  newRS = up.rs;
  if (up.scaled) { await sync.syncRolloutStatus(all(), newRS); return; }

  const down = await reconcileOldReplicaSets(sync, oldRSs, newRS);
  oldRSs = down.oldRSs;
  if (down.scaled) { await sync.syncRolloutStatus(all(), newRS); return; }

  if (deploymentComplete(sync.d, sync.d.status ?? {})) await cleanupDeployment(sync, oldRSs);
  await sync.syncRolloutStatus(all(), newRS);
}

async function reconcileNewReplicaSet(sync: DeploymentSync, allRSs: ReplicaSet[], newRS: ReplicaSet): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const want = replicasOf(sync.d);
  if (replicasOf(newRS) === want) return { scaled: false, rs: newRS };
  if (replicasOf(newRS) > want) return sync.scaleReplicaSet(newRS, want);
  return sync.scaleReplicaSet(newRS, newRSNewReplicas(sync.d, allRSs, newRS));
}

async function reconcileOldReplicaSets(sync: DeploymentSync, oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<{ scaled: boolean; oldRSs: ReplicaSet[] }> {
  const oldPods = specReplicas(oldRSs);
  if (oldPods === 0) return { scaled: false, oldRSs };
  const allPods = oldPods + replicasOf(newRS);
  const minAvailable = replicasOf(sync.d) - maxUnavailable(sync.d);
  const newRSUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return { scaled: false, oldRSs };

  const current = new Map(oldRSs.map((rs) => [rs.metadata?.uid ?? '', rs]));
  // unhealthy replicas first: they do not count towards availability anyway
  let cleaned = 0;
  for (const rs of filterActive(oldRSs).sort(byCreationOldest)) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (unhealthy <= 0) continue;
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    const res = await sync.scaleReplicaSet(rs, replicasOf(rs) - n);
    current.set(rs.metadata?.uid ?? '', res.rs);
    cleaned += n;
  }
  const afterCleanup = [...current.values()];

  // then healthy ones, as far as availability allows
  const available = availableReplicas([...afterCleanup, newRS]);
  let scaledDown = 0;
  if (available > minAvailable) {
    const total = available - minAvailable;
    for (const rs of filterActive(afterCleanup).sort(byCreationOldest)) {
      if (scaledDown >= total) break;
      const n = Math.min(replicasOf(rs), total - scaledDown);
      const res = await sync.scaleReplicaSet(rs, replicasOf(rs) - n);
      current.set(rs.metadata?.uid ?? '', res.rs);
      scaledDown += n;
    }
  }
  return { scaled: cleaned + scaledDown > 0, oldRSs: [...current.values()] };
}
