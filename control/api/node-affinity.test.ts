import { describe, expect, it } from 'vitest';
import type { NodeSelectorRequirement, PodSpec } from 'kubernetes-types/core/v1.js';
import { matchesRequiredNodeAffinity, matchNodeSelectorRequirement, matchNodeSelectorTerm, nodeFieldsOf, requiredNodeAffinity } from './node-affinity.js';

const node = nodeFieldsOf({ metadata: { name: 'n1', labels: { zone: 'a', gen: '5' } } });
const req = (operator: string, values?: string[], key = 'gen'): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });

describe('matchNodeSelectorRequirement', () => {
  it.each<[string, NodeSelectorRequirement, string | undefined, boolean]>([
    ['In', req('In', ['5', '6']), '5', true],
    ['In, label absent', req('In', ['5']), undefined, false],
    ['NotIn, label absent', req('NotIn', ['5']), undefined, true],
    ['Exists', req('Exists'), '', true],
    ['DoesNotExist', req('DoesNotExist'), undefined, true],
    ['Gt', req('Gt', ['4']), '5', true],
    ['Gt with a sign', req('Gt', ['+4']), '5', true],
    ['Lt', req('Lt', ['4']), '5', false],
    ['Gt on a non-integer', req('Gt', ['4']), '5x', false],
    ['Gt needs exactly one value', req('Gt', ['1', '2']), '5', false],
    ['unknown operator', req('Near', ['5']), '5', false],
  ])('%s', (_n, r, value, want) => {
    expect(matchNodeSelectorRequirement(r, value)).toBe(want);
  });
});

describe('node selection', () => {
  it('matches expressions on labels and fields on metadata.name; an empty term matches nothing', () => {
    expect(matchNodeSelectorTerm({ matchExpressions: [req('In', ['a'], 'zone')], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, node)).toBe(true);
    expect(matchNodeSelectorTerm({ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['n1'] }] }, node)).toBe(false);
    expect(matchNodeSelectorTerm({}, node)).toBe(false);
  });

  it('ANDs nodeSelector with the ORed required terms', () => {
    const spec = (nodeSelector?: Record<string, string>, zones?: string[][]): PodSpec => ({
      containers: [],
      ...(nodeSelector ? { nodeSelector } : {}),
      ...(zones ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: zones.map((z) => ({ matchExpressions: [req('In', z, 'zone')] })) } } } } : {}),
    });
    expect(requiredNodeAffinity(spec())).toBeUndefined();
    expect(matchesRequiredNodeAffinity(spec(), node)).toBe(true);
    expect(matchesRequiredNodeAffinity(spec({ gen: '5' }), node)).toBe(true);
    expect(matchesRequiredNodeAffinity(spec({ gen: '6' }), node)).toBe(false);
    expect(matchesRequiredNodeAffinity(spec(undefined, [['b'], ['a']]), node)).toBe(true);
    expect(matchesRequiredNodeAffinity(spec({ gen: '6' }, [['a']]), node)).toBe(false);
    expect(matchesRequiredNodeAffinity(spec(undefined, []), node)).toBe(false);
  });
});
