/**
 * Node selection (PURE), as the scheduler's NodeAffinity filter and the DaemonSet controller judge
 * it (upstream component-helpers nodeaffinity): a pod's `nodeSelector` map AND its required node
 * affinity, whose NodeSelectorTerms are ORed, each term ANDing its `matchExpressions` (node labels:
 * In, NotIn, Exists, DoesNotExist, Gt, Lt) and `matchFields` (only `metadata.name`).
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from 'kubernetes-types/core/v1.js';

/** What node selection looks at: the node's name and labels. */
export interface NodeFields {
  readonly name: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

export const nodeFieldsOf = (node: Node): NodeFields => ({ name: node.metadata?.name, labels: node.metadata?.labels ?? {} });

/** An integer as upstream strconv.ParseInt reads it (optional sign, decimal digits). */
const INTEGER = /^[+-]?\d+$/;

/** One requirement against a value (undefined: the label is absent). Gt/Lt need one integer value on both sides. */
export function matchNodeSelectorRequirement(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = values[0];
      if (value === undefined || values.length !== 1 || bound === undefined || !INTEGER.test(value) || !INTEGER.test(bound)) return false;
      const [a, b] = [BigInt(value), BigInt(bound)];
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** One NodeSelectorTerm: every expression and field must match; a term with no requirements matches nothing. */
export function matchNodeSelectorTerm(term: NodeSelectorTerm, node: NodeFields): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!matchNodeSelectorRequirement(r, node.labels[r.key])) return false;
  for (const r of fields) if (r.key !== 'metadata.name' || !matchNodeSelectorRequirement(r, node.name)) return false;
  return true;
}

/** Terms are ORed: an empty list matches nothing. */
export function matchNodeSelectorTerms(terms: readonly NodeSelectorTerm[], node: NodeFields): boolean {
  return terms.some((t) => matchNodeSelectorTerm(t, node));
}

/** A `nodeSelector` map: every label must be present with that value; absent or empty matches every node. */
export function matchNodeSelector(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector ?? {})) if (labels[k] !== v) return false;
  return true;
}

/**
 * The node constraint of a pod spec (upstream GetRequiredNodeAffinity), compiled once: nodeSelector
 * AND the required terms (absent terms: no constraint). Undefined when the spec asks for nothing.
 */
export function requiredNodeAffinity(spec: PodSpec | undefined): ((node: NodeFields) => boolean) | undefined {
  const selector = spec?.nodeSelector;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (Object.keys(selector ?? {}).length === 0 && !required) return undefined;
  const terms = required?.nodeSelectorTerms as readonly NodeSelectorTerm[] | undefined;
  return (node) => matchNodeSelector(selector, node.labels) && (terms === undefined || matchNodeSelectorTerms(terms, node));
}

/** Whether the node satisfies the pod spec's nodeSelector and required node affinity. */
export function matchesRequiredNodeAffinity(spec: PodSpec | undefined, node: NodeFields): boolean {
  return requiredNodeAffinity(spec)?.(node) ?? true;
}
