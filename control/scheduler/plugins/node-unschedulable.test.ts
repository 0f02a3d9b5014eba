import { describe, expect, it } from 'vitest';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { cycleState, makeNode, makePod, nodeInfo } from '../testing/fixtures.js';
import { ERR_REASON_UNSCHEDULABLE, nodeUnschedulablePlugin } from './node-unschedulable.js';

const tol = (t: Toleration) => [t];

describe('NodeUnschedulable', () => {
  it.each<[string, boolean, Toleration[] | undefined, boolean]>([
    ['schedulable node', false, undefined, true],
    ['cordoned node', true, undefined, false],
    ['cordoned node, pod tolerates the taint', true, tol({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }), true],
    ['cordoned node, tolerate-everything', true, tol({ operator: 'Exists' }), true],
    ['cordoned node, unrelated toleration', true, tol({ key: 'other', operator: 'Exists' }), false],
  ])('%s', (_n, cordoned, tolerations, fits) => {
    const pod = makePod('p', { tolerations });
    const st = nodeUnschedulablePlugin.filter(cycleState(pod), pod, nodeInfo(makeNode('n', { unschedulable: cordoned })));
    expect(st === undefined).toBe(fits);
    if (st) expect(st).toMatchObject({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_UNSCHEDULABLE] });
  });
});
