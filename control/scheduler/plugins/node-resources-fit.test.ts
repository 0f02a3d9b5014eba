import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { cycleState, makeNode, makePod, nodeInfo } from '../testing/fixtures.js';
import { nodeResourcesFitPlugin } from './node-resources-fit.js';

const node = makeNode('n', { cpu: '2', memory: '4Gi', pods: '3' });

describe('NodeResourcesFit', () => {
  it.each<[string, Pod, Pod[], string[] | undefined, string?]>([
    ['fits an empty node', makePod('p', { cpu: '1', memory: '1Gi' }), [], undefined],
    ['best-effort pod fits', makePod('p'), [makePod('a', { cpu: '2' })], undefined],
    ['not enough cpu left', makePod('p', { cpu: '1500m' }), [makePod('a', { cpu: '1' })], ['Insufficient cpu'], 'Unschedulable'],
    ['more cpu than the node has', makePod('p', { cpu: '3' }), [], ['Insufficient cpu'], 'UnschedulableAndUnresolvable'],
    ['cpu and memory', makePod('p', { cpu: '1500m', memory: '3Gi' }), [makePod('a', { cpu: '1', memory: '2Gi' })], ['Insufficient cpu', 'Insufficient memory'], 'Unschedulable'],
    ['too many pods', makePod('p'), [makePod('a'), makePod('b'), makePod('c')], ['Too many pods'], 'Unschedulable'],
    ['init container max rule: fits', makePod('p', {
      containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }, { name: 'b', resources: { requests: { cpu: '500m' } } }],
      initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }],
    }), [], undefined],
    ['init container max rule: the init container is the biggest', makePod('p', {
      containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }],
      initContainers: [{ name: 'i', resources: { requests: { cpu: '1500m' } } }],
    }), [makePod('a', { cpu: '1' })], ['Insufficient cpu'], 'Unschedulable'],
    ['sidecars add to the app containers', makePod('p', {
      containers: [{ name: 'a', resources: { requests: { cpu: '600m' } } }],
      initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '600m' } } }],
    }), [makePod('a', { cpu: '1' })], ['Insufficient cpu'], 'Unschedulable'],
    ['limits stand in for missing requests', makePod('p', { containers: [{ name: 'a', resources: { limits: { memory: '5Gi' } } }] }), [], ['Insufficient memory'], 'UnschedulableAndUnresolvable'],
  ])('%s', (_n, pod, existing, reasons, code) => {
    const st = nodeResourcesFitPlugin.filter(cycleState(pod), pod, nodeInfo(node, existing));
    expect(st?.reasons).toEqual(reasons);
    if (code) expect(st?.code).toBe(code);
  });
});
