/** Upstream helper.DefaultNormalizeScore: scale to 0..MAX_SCORE by the highest score, optionally reversed. */
import type { NodeScore } from '../types.js';
import { MAX_SCORE } from '../types.js';

export function defaultNormalize(scores: NodeScore[], opts: { reverse: boolean }): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (opts.reverse) for (const s of scores) s.score = MAX_SCORE;
    return;
  }
  for (const s of scores) {
    const v = Math.trunc((MAX_SCORE * s.score) / max);
    s.score = opts.reverse ? MAX_SCORE - v : v;
  }
}
