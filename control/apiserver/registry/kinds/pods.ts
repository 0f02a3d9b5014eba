/**
 * Pod strategy: status reset on create, the DefaultTolerationSeconds admission (not-ready /
 * unreachable NoExecute for 300 s), and graceful deletion (scheduled, unfinished pods get their
 * grace period; the node agent confirms with gracePeriodSeconds=0).
 */
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import type { Strategy } from '../strategy.js';

export const DEFAULT_TOLERATION_SECONDS = 300;
const TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

export function addDefaultTolerations(pod: Pod, seconds = DEFAULT_TOLERATION_SECONDS): void {
  const spec = pod.spec;
  if (!spec) return;
  const tolerations: Toleration[] = [...(spec.tolerations ?? [])];
  for (const key of TAINTS) {
    const has = tolerations.some((t) => (t.key === key || (t.operator === 'Exists' && !t.key)) && (!t.effect || t.effect === 'NoExecute'));
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
  spec.tolerations = tolerations;
}

export const podStrategy: Strategy = {
  tracksGeneration: false,
  prepareForCreate(obj: KubeObject) {
    const pod = obj as Pod;
    const qosClass = (pod.status as { qosClass?: string } | undefined)?.qosClass;
    obj['status'] = { phase: 'Pending', ...(qosClass ? { qosClass } : {}) };
    addDefaultTolerations(pod);
  },
  gracePeriodSeconds(obj: KubeObject, requested: number | undefined) {
    const pod = obj as Pod;
    if (!pod.spec?.nodeName) return 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    const grace = requested ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    return grace < 0 ? 0 : grace;
  },
};
