/**
 * Building DaemonSet pods (PURE): the template hash put in the `controller-revision-hash` label
 * (ControllerRevisions are not served yet, so the hash stands in for the revision), the automatic
 * DaemonSet tolerations, and the required node affinity `matchFields metadata.name In [node]`
 * through which the default scheduler places the pod (upstream ReplaceDaemonSetPodNodeNameNodeAffinity).
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { fnv32a, safeEncode } from '../shared/hash.js';

export const REVISION_HASH_LABEL = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** fnv-32a of the template (plus collisionCount), rendered like upstream's rand.SafeEncodeString. */
export function templateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  return safeEncode(String(fnv32a(canonicalJson(template ?? {}) + (collisionCount ? String(collisionCount) : ''))));
}

/** Upstream AddOrUpdateDaemonPodTolerations: tolerate node conditions a daemon should survive. */
export function daemonTolerations(spec: PodSpec | undefined): Toleration[] {
  const tols = [...(spec?.tolerations ?? [])];
  const add = (key: string, effect: 'NoExecute' | 'NoSchedule') => {
    if (!tols.some((t) => t.key === key && t.effect === effect && t.operator === 'Exists' && t.tolerationSeconds === undefined)) {
      tols.push({ key, operator: 'Exists', effect });
    }
  };
  add('node.kubernetes.io/not-ready', 'NoExecute');
  add('node.kubernetes.io/unreachable', 'NoExecute');
  add('node.kubernetes.io/disk-pressure', 'NoSchedule');
  add('node.kubernetes.io/memory-pressure', 'NoSchedule');
  add('node.kubernetes.io/pid-pressure', 'NoSchedule');
  add('node.kubernetes.io/unschedulable', 'NoSchedule');
  if (spec?.hostNetwork) add('node.kubernetes.io/network-unavailable', 'NoSchedule');
  return tols;
}

/** The pod spec a daemon pod gets (before node affinity): template spec + tolerations. */
export function daemonPodSpec(ds: DaemonSet): PodSpec {
  const spec = structuredClone(ds.spec?.template.spec ?? { containers: [] });
  spec.tolerations = daemonTolerations(spec);
  return spec;
}

export function newDaemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const md = ds.metadata ?? {};
  const tmd = ds.spec?.template.metadata ?? {};
  const spec = daemonPodSpec(ds);
  const affinity = spec.affinity ?? {};
  spec.affinity = {
    ...affinity,
    nodeAffinity: {
      ...(affinity.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${md.name ?? 'daemon'}-`,
      namespace: md.namespace,
      labels: { ...(tmd.labels ?? {}), [REVISION_HASH_LABEL]: hash, [TEMPLATE_GENERATION_LABEL]: String(md.generation ?? 1) },
      ...(tmd.annotations ? { annotations: { ...tmd.annotations } } : {}),
      ...(tmd.finalizers ? { finalizers: [...tmd.finalizers] } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: md.name ?? '', uid: md.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}

/** The node a daemon pod is for: spec.nodeName once bound, else its matchFields affinity. */
export function daemonPodNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
