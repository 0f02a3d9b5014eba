/**
 * persistentVolumeClaim volumes on the node: claim → bound PersistentVolume → host path. A `hostPath`
 * PV is its path (with its type's checks); a `local` PV's path must exist, except one the built-in
 * local-path provisioner made for this node, whose directory, `<data dir>/storage/<pv name>`, the
 * agent creates on first use: the path must be exactly that (names re-checked here), and neither the
 * root nor the directory may be a symlink (lstat after mkdir; nothing is followed).
 */
import { chmod, lstat, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import type { ResourceInfo } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import { ANN_PROVISIONED_BY, LOCAL_PATH_PROVISIONER, localPathOf } from '../control/api/storage-names.js';
import type { RestClient } from '../control/client/rest-client.js';

const PVS = findResource('', 'v1', 'persistentvolumes') as ResourceInfo;
const PVCS = findResource('', 'v1', 'persistentvolumeclaims') as ResourceInfo;

/** The node's local-path root: `<data dir>/storage`, absolute. */
export const localPathRoot = (dataDir: string): string => resolve(dataDir, 'storage');

/** A claim volume resolved for this node. */
export interface ClaimVolume {
  path: string;
  /** The local-path provisioner's: the agent makes the directory (and applies fsGroup). */
  provisioned: boolean;
  /** A `local` PV (fsGroup applies, as upstream's local plugin); hostPath ones are left alone. */
  local: boolean;
  hostPathType?: string;
}

export class ClaimVolumeError extends Error {
  constructor(readonly volume: string, message: string) { super(message); this.name = 'ClaimVolumeError'; }
}

/** PURE: where a bound PV lives on this node, or why it cannot be used. */
export function claimVolumePath(pv: PersistentVolume, root: string): { ok: true; volume: ClaimVolume } | { ok: false; message: string } {
  const name = pv.metadata?.name ?? '';
  if (pv.spec?.hostPath) {
    const p = pv.spec.hostPath.path;
    if (typeof p !== 'string' || !p.startsWith('/')) return { ok: false, message: `hostPath of volume "${name}" is not absolute` };
    return { ok: true, volume: { path: p, provisioned: false, local: false, hostPathType: pv.spec.hostPath.type ?? '' } };
  }
  if (pv.spec?.local) {
    const p = pv.spec.local.path;
    if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER) {
      const want = localPathOf(root, name);
      if (want === undefined || p !== want) return { ok: false, message: `local-path volume "${name}" is not at ${want ?? 'a valid path'} on this node` };
      return { ok: true, volume: { path: want, provisioned: true, local: true } };
    }
    if (typeof p !== 'string' || !p.startsWith('/')) return { ok: false, message: `local path of volume "${name}" is not absolute` };
    return { ok: true, volume: { path: p, provisioned: false, local: true } };
  }
  return { ok: false, message: `volume "${name}" has a source this node cannot mount (hostPath and local only)` };
}

/** Resolve every claim volume of the pod (GET claim, GET volume); a claim not bound yet is an error to retry. */
export async function resolveClaimVolumes(client: RestClient, pod: Pod, root: string): Promise<Record<string, ClaimVolume>> {
  const out: Record<string, ClaimVolume> = {};
  const ns = pod.metadata?.namespace ?? 'default';
  for (const v of pod.spec?.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    let pvc: PersistentVolumeClaim;
    let pv: PersistentVolume;
    try {
      pvc = await client.get<PersistentVolumeClaim & KubeObject>(PVCS, ns, claimName);
      if (!pvc.spec?.volumeName || pvc.status?.phase !== 'Bound') throw new ClaimVolumeError(v.name, `persistentvolumeclaim "${claimName}" is not bound`);
      pv = await client.get<PersistentVolume & KubeObject>(PVS, undefined, pvc.spec.volumeName);
    } catch (err) {
      if (isApiError(err) && err.code === 404) throw new ClaimVolumeError(v.name, err.message);
      throw err;
    }
    if (pv.metadata?.deletionTimestamp) throw new ClaimVolumeError(v.name, `persistentvolume "${pv.metadata.name ?? ''}" is being deleted`);
    const r = claimVolumePath(pv, root);
    if (!r.ok) throw new ClaimVolumeError(v.name, r.message);
    out[v.name] = r.volume;
  }
  return out;
}

/** Make a local-path volume's directory (0777 as k3s's; the root 0700) without following links. */
export async function ensureLocalPathDir(root: string, dir: string): Promise<boolean> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const rs = await lstat(root);
  if (!rs.isDirectory() || rs.isSymbolicLink()) throw new Error(`local-path root ${root} is not a directory`);
  let created = false;
  try {
    await mkdir(dir, { mode: 0o777 });
    await chmod(dir, 0o777); // whatever the umask; the root is root's alone, so nobody swapped it meanwhile
    created = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const ds = await lstat(dir);
  if (!ds.isDirectory() || ds.isSymbolicLink()) throw new Error(`local-path volume ${dir} is not a directory`);
  return created;
}
