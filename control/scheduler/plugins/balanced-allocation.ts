/**
 * NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in similar
 * fractions after placing the pod: (1 - std of the fractions) · MAX_SCORE, using actual requests.
 */
import type { ScorePlugin } from '../types.js';
import { MAX_SCORE } from '../types.js';

export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

export const balancedAllocationPlugin: ScorePlugin = {
  name: BALANCED_ALLOCATION,
  score(state, _pod, node) {
    const p = state.podInfo.requests;
    const a = node.allocatable;
    const fractions: number[] = [];
    if (a.milliCpu > 0) fractions.push(Math.min(1, (node.requested.milliCpu + p.milliCpu) / a.milliCpu));
    if (a.memory > 0) fractions.push(Math.min(1, (node.requested.memory + p.memory) / a.memory));
    let std = 0;
    if (fractions.length === 2) std = Math.abs(((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2);
    return Math.trunc((1 - std) * MAX_SCORE);
  },
};
