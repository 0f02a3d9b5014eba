/** PURE: where each pod volume lives on the host (kubelet's pods/<uid>/volumes/kubernetes.io~<plugin>/<name>). */
import { join } from 'node:path';
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';

const PLUGIN: ReadonlyArray<[keyof Volume, string]> = [
  ['emptyDir', 'kubernetes.io~empty-dir'], ['configMap', 'kubernetes.io~configmap'], ['secret', 'kubernetes.io~secret'],
  ['downwardAPI', 'kubernetes.io~downward-api'], ['projected', 'kubernetes.io~projected'],
];

export function podDir(dataDir: string, uid: string): string { return join(dataDir, 'pods', uid); }
export function etcHostsPath(dataDir: string, uid: string): string { return join(podDir(dataDir, uid), 'etc-hosts'); }

/** The host directory of a volume, or undefined for kinds this agent does not support. */
export function volumeHostPath(dataDir: string, uid: string, v: Volume, claims?: Readonly<Record<string, { path: string }>>): string | undefined {
  if (v.hostPath) return v.hostPath.path;
  if (v.persistentVolumeClaim) return claims?.[v.name]?.path;
  for (const [field, plugin] of PLUGIN) if (v[field]) return join(podDir(dataDir, uid), 'volumes', plugin, v.name);
  return undefined;
}

/** Volumes whose content the agent writes: mounted read-only, written by the AtomicWriter (upstream Attributes().ReadOnly). */
export function isAgentWritten(v: Volume): boolean {
  return !!(v.configMap || v.secret || v.downwardAPI || v.projected);
}

/** name → host path for every supported volume of the pod. */
export function volumeHostPaths(pod: Pod, dataDir: string, claims?: Readonly<Record<string, { path: string }>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of pod.spec?.volumes ?? []) {
    const p = volumeHostPath(dataDir, pod.metadata?.uid ?? '', v, claims);
    if (p !== undefined) out[v.name] = p;
  }
  return out;
}
