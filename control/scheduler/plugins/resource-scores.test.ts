import { describe, expect, it } from 'vitest';
import { cycleState, makeNode, makePod, nodeInfo } from '../testing/fixtures.js';
import { balancedAllocationPlugin } from './balanced-allocation.js';
import { leastAllocatedPlugin } from './least-allocated.js';

describe('LeastAllocated', () => {
  it.each([
    // node 4 cpu / 8Gi; pod 1 cpu / 2Gi on an empty node: cpu 75, mem 75
    ['empty node', [] as string[], '1', '2Gi', 75],
    // plus 2 cpu / 4Gi already: cpu (4-3)/4 = 25, mem (8-6)/8 = 25
    ['half-full node', ['2'], '1', '2Gi', 25],
    // best-effort pod counts as 100m / 200Mi: cpu (4000-100)/4000 -> 97, mem (8192-200)/8192 -> 97
    ['best-effort pod', [], undefined, undefined, 97],
    // cpu 5/4 over-committed -> 0; memory: the existing pod's 0 counts as 200Mi: (8192-2248)/8192 -> 72
    ['over-committed resource scores 0', ['4'], '1', '2Gi', 36],
  ])('%s', (_n, existingCpu, cpu, memory, want) => {
    const existing = existingCpu.map((c, i) => makePod(`e${i}`, { cpu: c, memory: c === '4' ? '0' : '4Gi' }));
    const pod = makePod('p', { cpu, memory });
    expect(leastAllocatedPlugin.score(cycleState(pod), pod, nodeInfo(makeNode('n'), existing))).toBe(want);
  });
});

describe('BalancedAllocation', () => {
  it.each([
    ['balanced use scores 100', '2', '4Gi', 100],
    // cpu 2/4 = .5, mem 1/8 = .125: std .1875 -> 81
    ['unbalanced use scores less', '2', '1Gi', 81],
    ['fractions are capped at 1', '8', '0', 50],
  ])('%s', (_n, cpu, memory, want) => {
    const pod = makePod('p', { cpu, memory });
    expect(balancedAllocationPlugin.score(cycleState(pod), pod, nodeInfo(makeNode('n')))).toBe(want);
  });
});
