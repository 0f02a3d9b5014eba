import { describe, expect, it } from 'vitest';
import { Snapshot } from '../snapshot.js';
import { cycleState, makeNode, makePod } from '../testing/fixtures.js';
import type { NodeScore } from '../types.js';
import { selectorSpreadPlugin } from './selector-spread.js';

describe('SelectorSpread', () => {
  it('prefers nodes with fewer pods of the same owner', () => {
    const s = new Snapshot();
    for (const n of ['a', 'b', 'c']) s.setNode(makeNode(n));
    s.addPod(makePod('r1', { ownerUid: 'rs1', nodeName: 'a' }));
    s.addPod(makePod('r2', { ownerUid: 'rs1', nodeName: 'a' }));
    s.addPod(makePod('r3', { ownerUid: 'rs1', nodeName: 'b' }));
    s.addPod(makePod('x', { ownerUid: 'other', nodeName: 'c' }));
    const plugin = selectorSpreadPlugin(s);
    const pod = makePod('r4', { ownerUid: 'rs1' });
    const state = cycleState(pod);
    const scores: NodeScore[] = ['a', 'b', 'c'].map((n) => ({ name: n, score: plugin.score(state, pod, s.get(n)!) }));
    expect(scores.map((x) => x.score)).toEqual([2, 1, 0]);
    plugin.normalize?.(scores);
    expect(scores.map((x) => x.score)).toEqual([0, 50, 100]);
  });

  it('gives every node the same score to a pod without an owner', () => {
    const s = new Snapshot();
    s.setNode(makeNode('a'));
    const plugin = selectorSpreadPlugin(s);
    const pod = makePod('p');
    const scores: NodeScore[] = [{ name: 'a', score: plugin.score(cycleState(pod), pod, s.get('a')!) }];
    plugin.normalize?.(scores);
    expect(scores[0]?.score).toBe(100);
  });
});
