/**
 * Recreate (upstream recreate.go): scale every old ReplicaSet to zero, wait until none of their
 * pods is still running (terminating ones included), and only then create/scale the new one.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DeploymentSync } from './deployment-sync.js';
import { deploymentComplete } from './deployment-status.js';
import { filterActive, replicasOf, statusReplicas } from './deployment-util.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { cleanupDeployment } from './scale.js';

/** Pods grouped by the uid of the ReplicaSet controlling them. */
export type PodMap = ReadonlyMap<string, readonly Pod[]>;

export async function rolloutRecreate(sync: DeploymentSync, rsList: readonly ReplicaSet[], podMap: PodMap): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(sync, rsList, false);
  const all = () => (newRS ? [...oldRSs, newRS] : [...oldRSs]);

  let scaledDown = false;
  const next: ReplicaSet[] = [];
  for (const rs of oldRSs) {
    if (filterActive([rs]).length === 0) { next.push(rs); continue; }
    const res = await sync.scaleReplicaSet(rs, 0);
    scaledDown ||= res.scaled;
    next.push(res.rs);
  }
  oldRSs = next;
  if (scaledDown) { await sync.syncRolloutStatus(all(), newRS); return; }

  if (oldPodsRunning(newRS, oldRSs, podMap)) { await sync.syncRolloutStatus(all(), newRS); return; }

  if (!newRS) ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(sync, rsList, true));
  if (newRS && replicasOf(newRS) !== replicasOf(sync.d)) newRS = (await sync.scaleReplicaSet(newRS, replicasOf(sync.d))).rs;

  if (deploymentComplete(sync.d, sync.d.status ?? {})) await cleanupDeployment(sync, oldRSs);
  await sync.syncRolloutStatus(all(), newRS);
}

function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: PodMap): boolean {
  if (statusReplicas(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
