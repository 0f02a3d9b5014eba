/**
 * SelectorSpread (standing in for PodTopologySpread's default constraints): prefer nodes with fewer
 * pods of the same controller owner, so replicas spread across nodes. Reverse-normalized by the
 * busiest node.
 */
import type { Snapshot } from '../snapshot.js';
import type { ScorePlugin } from '../types.js';
import { MAX_SCORE } from '../types.js';

export const SELECTOR_SPREAD = 'SelectorSpread';
const STATE_KEY = 'SelectorSpread/counts';

export function selectorSpreadPlugin(snapshot: Snapshot): ScorePlugin {
  return {
    name: SELECTOR_SPREAD,
    preScore(state) {
      const owner = state.podInfo.ownerUid;
      if (owner === undefined) state.skipScorePlugins.add(SELECTOR_SPREAD);
      else state.write(STATE_KEY, snapshot.ownerPodCounts(owner) ?? new Map());
    },
    score(state, _pod, node) {
      const owner = state.podInfo.ownerUid;
      if (owner === undefined) return 0;
      const counts = state.read<ReadonlyMap<string, number>>(STATE_KEY);
      return counts ? counts.get(node.name) ?? 0 : snapshot.ownerPodsOn(owner, node.name);
    },
    normalize(scores) {
      let max = 0;
      for (const s of scores) if (s.score > max) max = s.score;
      for (const s of scores) s.score = max === 0 ? MAX_SCORE : Math.trunc((MAX_SCORE * (max - s.score)) / max);
    },
  };
}
