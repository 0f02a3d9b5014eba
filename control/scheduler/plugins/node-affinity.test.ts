import { describe, expect, it } from 'vitest';
import type { Affinity, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { cycleState, makeNode, makePod, nodeInfo } from '../testing/fixtures.js';
import type { NodeScore } from '../types.js';
import { ERR_REASON_NODE_AFFINITY, nodeAffinityPlugin } from './node-affinity.js';

const required = (...terms: NodeSelectorTerm[]): Affinity =>
  ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });

const node = makeNode('n1', { labels: { disk: 'ssd', zone: 'a', gen: '5' } });

describe('NodeAffinity filter', () => {
  it.each<[string, Record<string, string> | undefined, Affinity | undefined, boolean]>([
    ['nothing asked', undefined, undefined, true],
    ['nodeSelector matches', { disk: 'ssd' }, undefined, true],
    ['nodeSelector does not match', { disk: 'hdd' }, undefined, false],
    ['In', undefined, required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }), true],
    ['NotIn', undefined, required({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }), false],
    ['NotIn on a missing label', undefined, required({ matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['x'] }] }), true],
    ['Exists', undefined, required({ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }), true],
    ['DoesNotExist', undefined, required({ matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }), false],
    ['Gt', undefined, required({ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }), true],
    ['Lt', undefined, required({ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }), false],
    ['terms are ORed', undefined, required(
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
      { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }), true],
    ['expressions are ANDed', undefined, required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'In', values: ['hdd'] }] }), false],
    ['matchFields metadata.name', undefined, required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }), true],
    ['an empty term matches nothing', undefined, required({}), false],
    ['both nodeSelector and affinity must hold', { disk: 'hdd' }, required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }), false],
  ])('%s', (_n, nodeSelector, affinity, fits) => {
    const pod = makePod('p', { nodeSelector, affinity });
    const state = cycleState(pod);
    expect(nodeAffinityPlugin.preFilter(state, pod)).toBeUndefined();
    const st = nodeAffinityPlugin.filter(state, pod, nodeInfo(node));
    expect(st === undefined).toBe(fits);
    if (st) expect(st).toMatchObject({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_AFFINITY] });
  });
});

describe('NodeAffinity score', () => {
  it('sums weights of matching preferred terms, normalized to the best node', () => {
    const pod = makePod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      { weight: 30, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    ] } } });
    const nodes = [nodeInfo(node), nodeInfo(makeNode('n2', { labels: { zone: 'a' } })), nodeInfo(makeNode('n3'))];
    const state = cycleState(pod);
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: nodeAffinityPlugin.score(state, pod, n) }));
    expect(scores.map((s) => s.score)).toEqual([40, 30, 0]);
    nodeAffinityPlugin.normalize?.(scores);
    expect(scores.map((s) => s.score)).toEqual([100, 75, 0]);
  });
});
