/**
 * VolumeBinding (upstream plugins/volumebinding, trimmed): a pod's claims must exist and not be
 * being deleted; an unbound claim of an Immediate class waits for the PV controller; a bound
 * claim's volume must admit the node (its node affinity); an unbound WaitForFirstConsumer claim
 * needs, on the node, an Available matching volume or a class with a provisioner. PreBind (in
 * volume-prebinder.ts) then binds those claims for the chosen node before the pod is bound.
 * Reads the claim/volume/class caches synchronously (no I/O).
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { claimClass, findMatchingVolume, volumeFitsNode } from '../../api/volume-match.js';
import type { NodeInfo } from '../node-info.js';
import { unschedulable } from '../types.js';
import type { CycleState, FilterPlugin, PluginStatus, PreFilterPlugin } from '../types.js';

export const VOLUME_BINDING = 'VolumeBinding';
const STATE_KEY = 'VolumeBinding';

/** What the plugin reads: the scheduler's caches of claims, volumes and classes. */
export interface VolumeLister {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  volumes(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
  /** Volumes another pod's PreBind is about to take. */
  assumed(): ReadonlySet<string>;
}

interface PodVolumes { bound: PersistentVolume[]; delayed: PersistentVolumeClaim[] }

/** The claim names of a pod's volumes (persistentVolumeClaim and generic ephemeral). */
export function podClaimNames(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => {
    if (v.persistentVolumeClaim?.claimName) return [v.persistentVolumeClaim.claimName];
    if (v.ephemeral) return [`${pod.metadata?.name ?? ''}-${v.name}`];
    return [];
  });
}

export const isDelayed = (pvc: PersistentVolumeClaim, lister: VolumeLister): boolean =>
  lister.storageClass(claimClass(pvc))?.volumeBindingMode === 'WaitForFirstConsumer';

export function volumeBindingPlugin(lister: VolumeLister): PreFilterPlugin & FilterPlugin {
  return {
    name: VOLUME_BINDING,
    preFilter(state: CycleState, pod: Pod): PluginStatus | undefined {
      const names = podClaimNames(pod);
      if (names.length === 0) { state.skipFilterPlugins.add(VOLUME_BINDING); return undefined; }
      const ns = pod.metadata?.namespace ?? 'default';
      const out: PodVolumes = { bound: [], delayed: [] };
      for (const name of names) {
        const pvc = lister.claim(ns, name);
        if (!pvc) return unschedulable(VOLUME_BINDING, `persistentvolumeclaim "${name}" not found`, 'UnschedulableAndUnresolvable');
        if (pvc.metadata?.deletionTimestamp) return unschedulable(VOLUME_BINDING, `persistentvolumeclaim "${name}" is being deleted`, 'UnschedulableAndUnresolvable');
        const volumeName = pvc.spec?.volumeName;
        if (volumeName) {
          const pv = lister.volume(volumeName);
          if (!pv) return unschedulable(VOLUME_BINDING, `pvc(s) bound to non-existent pv(s)`, 'UnschedulableAndUnresolvable');
          out.bound.push(pv);
        } else if (isDelayed(pvc, lister)) {
          out.delayed.push(pvc);
        } else {
          return unschedulable(VOLUME_BINDING, 'pod has unbound immediate PersistentVolumeClaims', 'UnschedulableAndUnresolvable');
        }
      }
      state.write(STATE_KEY, out);
      return undefined;
    },
    filter(state: CycleState, _pod: Pod, info: NodeInfo): PluginStatus | undefined {
      const pv = state.read<PodVolumes>(STATE_KEY);
      const node = info.node as Node | undefined;
      if (!pv || !node) return undefined;
      if (pv.bound.some((v) => !volumeFitsNode(v, node))) return unschedulable(VOLUME_BINDING, 'node(s) had volume node affinity conflict', 'UnschedulableAndUnresolvable');
      const taken = new Set(lister.assumed());
      for (const pvc of pv.delayed) {
        const match = findMatchingVolume(pvc, lister.volumes(), { node, delayBinding: true, taken });
        if (match) { taken.add(match.metadata?.name ?? ''); continue; }
        const sc = lister.storageClass(claimClass(pvc));
        if (!sc?.provisioner || sc.provisioner === 'kubernetes.io/no-provisioner') return unschedulable(VOLUME_BINDING, "node(s) didn't find available persistent volumes to bind");
        const topo = sc.allowedTopologies;
        if (topo?.length && !topo.some((t) => (t.matchLabelExpressions ?? []).every((e) => (e.values ?? []).includes(node.metadata?.labels?.[e.key] ?? '\u0000')))) {
          return unschedulable(VOLUME_BINDING, "node(s) didn't find available persistent volumes to bind");
        }
      }
      return undefined;
    },
  };
}
