/**
 * NodeAffinity: filter on spec.nodeSelector and required node affinity (terms ORed, expressions
 * ANDed; matchFields on metadata.name); score by the summed weights of matching preferred terms.
 */
import type { NodeSelectorRequirement, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../node-info.js';
import type { CycleState, FilterPlugin, PreFilterPlugin, ScorePlugin } from '../types.js';
import { unschedulable } from '../types.js';
import { defaultNormalize } from './normalize.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
const STATE_KEY = 'NodeAffinity/required';

type NodeMatcher = (node: NodeInfo) => boolean;

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const a = Number.parseInt(value, 10);
      const b = Number.parseInt(values[0] ?? '', 10);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

/** One NodeSelectorTerm; a term with no requirements matches nothing. */
export function termMatchesNode(t: NodeSelectorTerm, node: NodeInfo): boolean {
  const exprs = t.matchExpressions ?? [];
  const fields = t.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!requirementMatches(r, node.labels[r.key])) return false;
  for (const r of fields) if (r.key !== 'metadata.name' || !requirementMatches(r, node.name)) return false;
  return true;
}

/** nodeSelector AND required node affinity, compiled once per pod (undefined: matches every node). */
export function requiredNodeMatcher(pod: Pod): NodeMatcher | undefined {
  const sel = Object.entries(pod.spec?.nodeSelector ?? {});
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (sel.length === 0 && !req) return undefined;
  const terms = req?.nodeSelectorTerms;
  return (node) => {
    for (const [k, v] of sel) if (node.labels[k] !== v) return false;
    if (terms === undefined) return true;
    for (const t of terms) if (termMatchesNode(t, node)) return true;
    return false;
  };
}

function matcher(state: CycleState, pod: Pod): NodeMatcher | undefined {
  let m = state.read<NodeMatcher | null>(STATE_KEY);
  if (m === undefined) { m = requiredNodeMatcher(pod) ?? null; state.write(STATE_KEY, m); }
  return m ?? undefined;
}

export const nodeAffinityPlugin: PreFilterPlugin & FilterPlugin & ScorePlugin = {
  name: NODE_AFFINITY,
  events: ['NodeAdd', 'NodeUpdate'],
  preFilter(state, pod) {
    if (!matcher(state, pod)) state.skipFilterPlugins.add(NODE_AFFINITY);
    return undefined;
  },
  filter(state, pod, node) {
    const m = matcher(state, pod);
    if (!m || m(node)) return undefined;
    return unschedulable(NODE_AFFINITY, ERR_REASON_NODE_AFFINITY, 'UnschedulableAndUnresolvable');
  },
  preScore(state, pod) {
    if (!pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) state.skipScorePlugins.add(NODE_AFFINITY);
  },
  score(_state, pod, node) {
    const prefs = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!prefs) return 0;
    let sum = 0;
    for (const p of prefs) if (p.weight !== 0 && termMatchesNode(p.preference, node)) sum += p.weight;
    return sum;
  },
  normalize(scores) { defaultNormalize(scores, { reverse: false }); },
};
