/**
 * NodeAffinity: filter on spec.nodeSelector and required node affinity (terms ORed, expressions
 * ANDed; matchFields on metadata.name); score by the summed weights of matching preferred terms.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { matchNodeSelectorTerm, requiredNodeAffinity } from '../../api/node-affinity.js';
import type { NodeInfo } from '../node-info.js';
import type { CycleState, FilterPlugin, PreFilterPlugin, ScorePlugin } from '../types.js';
import { unschedulable } from '../types.js';
import { defaultNormalize } from './normalize.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
const STATE_KEY = 'NodeAffinity/required';

type NodeMatcher = (node: NodeInfo) => boolean;

function matcher(state: CycleState, pod: Pod): NodeMatcher | undefined {
  let m = state.read<NodeMatcher | null>(STATE_KEY);
  if (m === undefined) { m = requiredNodeAffinity(pod.spec) ?? null; state.write(STATE_KEY, m); }
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
    for (const p of prefs) if (p.weight !== 0 && matchNodeSelectorTerm(p.preference, node)) sum += p.weight;
    return sum;
  },
  normalize(scores) { defaultNormalize(scores, { reverse: false }); },
};
