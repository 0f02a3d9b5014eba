/**
 * emptyDir volumes with medium Memory (kubelet's emptyDir setupTmpfs): the volume's directory,
 * made by prepareVolumes, gets a tmpfs of its own, sized by sizeLimit when one is given (else the
 * kernel's default). Idempotent: a directory that already has a tmpfs is left as it is. The root
 * of a fresh tmpfs is 1777, as upstream leaves it. The mounts go when the pod is forgotten
 * (unmountPodVolumes, before its directory is removed).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { quantityOf } from '../control/api/quantity.js';
import type { Mounter } from './mounter.js';
import { podDir, volumeHostPath } from './volume-paths.js';
import { VolumeError } from './volumes.js';

export async function mountMemoryVolumes(pod: Pod, dataDir: string, mounter: Mounter): Promise<void> {
  const uid = pod.metadata?.uid ?? '';
  for (const v of pod.spec?.volumes ?? []) {
    if (v.emptyDir?.medium !== 'Memory') continue;
    const dir = volumeHostPath(dataDir, uid, v);
    if (dir === undefined) continue;
    try {
      const cur = await mounter.mountAt(dir);
      if (cur?.fsType === 'tmpfs') continue;
      const limit = v.emptyDir.sizeLimit === undefined ? undefined : Math.floor(quantityOf(v.emptyDir.sizeLimit));
      await mounter.mountTmpfs(dir, limit);
    } catch (err) {
      throw new VolumeError(v.name, err instanceof Error ? err.message : String(err));
    }
  }
}

/** Unmount whatever the agent mounted for the pod (its tmpfs volumes). */
export async function unmountPodVolumes(dataDir: string, uid: string, mounter: Mounter): Promise<void> {
  if (uid) await mounter.unmountUnder(podDir(dataDir, uid));
}
