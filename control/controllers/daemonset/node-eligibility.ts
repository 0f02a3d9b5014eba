/**
 * Which nodes a DaemonSet's pods belong on (upstream NodeShouldRunDaemonPod): the template's
 * nodeName, nodeSelector and required node affinity must match the node, and the pod (with the
 * automatic DaemonSet tolerations) must tolerate the node's NoSchedule/NoExecute taints. A pod
 * already running keeps running unless an untolerated NoExecute taint appears. PURE.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1.js';

export interface Eligibility {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay here. */
  shouldContinueRunning: boolean;
}

function matchRequirement(value: string | undefined, r: NodeSelectorRequirement): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0] ?? '')) return false;
      const a = Number(value);
      const b = Number(values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** One NodeSelectorTerm: every expression (labels) and field (metadata.name) must match; an empty term matches nothing. */
export function matchNodeSelectorTerm(node: Node, term: NodeSelectorTerm): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const r of exprs) if (!matchRequirement(labels[r.key], r)) return false;
  for (const f of fields) {
    if (f.key !== 'metadata.name') return false;
    if (!matchRequirement(node.metadata?.name, f)) return false;
  }
  return true;
}

/** nodeSelector AND required node affinity (terms ORed). */
export function matchesNodeAffinity(spec: PodSpec | undefined, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return required.nodeSelectorTerms.some((t) => matchNodeSelectorTerm(node, t));
  return true;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

const untolerated = (taints: readonly Taint[], tols: readonly Toleration[], effects: readonly string[]): boolean =>
  taints.some((taint) => effects.includes(taint.effect) && !tols.some((t) => tolerates(t, taint)));

/** `spec` is the pod spec a daemon pod would get (template plus automatic tolerations). */
export function nodeShouldRunDaemonPod(node: Node, spec: PodSpec): Eligibility {
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== node.metadata?.name) return no;
  if (!matchesNodeAffinity(spec, node)) return no;
  const taints = node.spec?.taints ?? [];
  const tols = spec.tolerations ?? [];
  return {
    shouldRun: !untolerated(taints, tols, ['NoSchedule', 'NoExecute']),
    shouldContinueRunning: !untolerated(taints, tols, ['NoExecute']),
  };
}
