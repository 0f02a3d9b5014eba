import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { cycleState, makeNode, makePod, nodeInfo } from '../testing/fixtures.js';
import type { NodeScore } from '../types.js';
import { taintTolerationPlugin } from './taint-toleration.js';

const cp: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };
const soft: Taint = { key: 'soft', value: 'x', effect: 'PreferNoSchedule' };

describe('TaintToleration filter', () => {
  it.each<[string, Taint[], Toleration[] | undefined, string | undefined]>([
    ['no taints', [], undefined, undefined],
    ['untolerated NoSchedule', [cp], undefined, 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
    ['untolerated NoExecute with value', [gpu], undefined, 'node(s) had untolerated taint {dedicated: gpu}'],
    ['PreferNoSchedule does not filter', [soft], undefined, undefined],
    ['tolerated by Exists on the key', [cp], [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], undefined],
    ['tolerated by Equal with value', [gpu], [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }], undefined],
    ['wrong value', [gpu], [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }], 'node(s) had untolerated taint {dedicated: gpu}'],
    ['wrong effect', [gpu], [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }], 'node(s) had untolerated taint {dedicated: gpu}'],
    ['tolerate everything', [cp, gpu], [{ operator: 'Exists' }], undefined],
  ])('%s', (_n, taints, tolerations, reason) => {
    const pod = makePod('p', { tolerations });
    const st = taintTolerationPlugin.filter(cycleState(pod), pod, nodeInfo(makeNode('n', { taints })));
    expect(st?.reasons[0]).toBe(reason);
    if (st) expect(st.code).toBe('UnschedulableAndUnresolvable');
  });
});

describe('TaintToleration score', () => {
  it('prefers nodes with fewer untolerated PreferNoSchedule taints', () => {
    const pod = makePod('p', { tolerations: [{ key: 'ok', operator: 'Exists', effect: 'PreferNoSchedule' }] });
    const nodes = [
      nodeInfo(makeNode('clean')),
      nodeInfo(makeNode('one', { taints: [soft] })),
      nodeInfo(makeNode('two', { taints: [soft, { key: 'soft2', effect: 'PreferNoSchedule' }] })),
      nodeInfo(makeNode('tolerated', { taints: [{ key: 'ok', effect: 'PreferNoSchedule' }] })),
    ];
    const state = cycleState(pod);
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: taintTolerationPlugin.score(state, pod, n) }));
    expect(scores.map((s) => s.score)).toEqual([0, 1, 2, 0]);
    taintTolerationPlugin.normalize?.(scores);
    expect(scores.map((s) => s.score)).toEqual([100, 50, 0, 100]);
  });
});
