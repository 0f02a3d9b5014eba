/**
 * Which nodes a DaemonSet's pods belong on (upstream NodeShouldRunDaemonPod): the template's
 * nodeName, nodeSelector and required node affinity must match the node, and the pod (with the
 * automatic DaemonSet tolerations) must tolerate the node's NoSchedule/NoExecute taints. A pod
 * already running keeps running unless an untolerated NoExecute taint appears. PURE.
 */
import type { Node, PodSpec } from 'kubernetes-types/core/v1.js';
import { matchesRequiredNodeAffinity, nodeFieldsOf } from '../../api/node-affinity.js';
import { hasUntoleratedTaint } from '../../api/tolerations.js';

export interface Eligibility {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay here. */
  shouldContinueRunning: boolean;
}

/** `spec` is the pod spec a daemon pod would get (template plus automatic tolerations). */
export function nodeShouldRunDaemonPod(node: Node, spec: PodSpec): Eligibility {
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== node.metadata?.name) return no;
  if (!matchesRequiredNodeAffinity(spec, nodeFieldsOf(node))) return no;
  const taints = node.spec?.taints ?? [];
  return {
    shouldRun: !hasUntoleratedTaint(taints, spec.tolerations, ['NoSchedule', 'NoExecute']),
    shouldContinueRunning: !hasUntoleratedTaint(taints, spec.tolerations, ['NoExecute']),
  };
}
