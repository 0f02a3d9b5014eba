/**
 * NodeResourcesFit's LeastAllocated scoring: prefer nodes with the most room left, averaging
 * (allocatable - requested) / allocatable over cpu and memory (non-zero requests, weights 1).
 */
import type { ScorePlugin } from '../types.js';
import { MAX_SCORE } from '../types.js';

export const LEAST_ALLOCATED = 'NodeResourcesLeastAllocated';

function free(requested: number, allocatable: number): number {
  if (allocatable === 0 || requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * MAX_SCORE) / allocatable);
}

export const leastAllocatedPlugin: ScorePlugin = {
  name: LEAST_ALLOCATED,
  score(state, _pod, node) {
    const p = state.podInfo.nonZero;
    const cpu = free(node.nonZeroRequested.milliCpu + p.milliCpu, node.allocatable.milliCpu);
    const mem = free(node.nonZeroRequested.memory + p.memory, node.allocatable.memory);
    return Math.trunc((cpu + mem) / 2);
  },
};
