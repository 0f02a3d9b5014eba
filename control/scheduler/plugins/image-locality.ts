/**
 * ImageLocality: prefer nodes that already have the pod's images, weighting each image's size by
 * the share of nodes that have it (so a ubiquitous image does not attract everything).
 */
import type { Snapshot } from '../snapshot.js';
import type { CycleState, ScorePlugin } from '../types.js';
import { MAX_SCORE } from '../types.js';

export const IMAGE_LOCALITY = 'ImageLocality';
const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const STATE_KEY = 'ImageLocality/spread';

/** Per image of the pod: the share of nodes that have it (images no node has are left out). */
function spreads(snapshot: Snapshot, images: readonly string[]): [string, number][] {
  const total = snapshot.numNodes;
  const out: [string, number][] = [];
  if (total === 0) return out;
  for (const img of images) {
    const n = snapshot.nodesWithImage(img);
    if (n > 0) out.push([img, n / total]);
  }
  return out;
}

export function imageLocalityPlugin(snapshot: Snapshot): ScorePlugin {
  const spreadOf = (state: CycleState): [string, number][] => {
    let s = state.read<[string, number][]>(STATE_KEY);
    if (!s) { s = spreads(snapshot, state.podInfo.images); state.write(STATE_KEY, s); }
    return s;
  };
  return {
    name: IMAGE_LOCALITY,
    preScore(state) {
      // Nothing to prefer when no node has any of the images: every node would score 0.
      if (spreadOf(state).length === 0) state.skipScorePlugins.add(IMAGE_LOCALITY);
    },
    score(state, _pod, node) {
      const numContainers = state.podInfo.images.length;
      if (numContainers === 0 || node.images.size === 0) return 0;
      let sum = 0;
      for (const [img, spread] of spreadOf(state)) {
        const size = node.images.get(img);
        if (size !== undefined) sum += Math.trunc(size * spread);
      }
      const max = MAX_CONTAINER_THRESHOLD * numContainers;
      const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
      return Math.trunc((MAX_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
    },
  };
}
