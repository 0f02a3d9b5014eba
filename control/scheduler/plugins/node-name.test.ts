import { describe, expect, it } from 'vitest';
import { cycleState, makeNode, makePod, nodeInfo } from '../testing/fixtures.js';
import { ERR_REASON_NODE_NAME, nodeNamePlugin } from './node-name.js';

describe('NodeName', () => {
  it.each([
    ['no nodeName fits anywhere', undefined, 'n1', undefined],
    ['the named node fits', 'n1', 'n1', undefined],
    ['another node does not', 'n2', 'n1', ERR_REASON_NODE_NAME],
  ])('%s', (_name, want, node, reason) => {
    const pod = makePod('p', { nodeName: want });
    const st = nodeNamePlugin.filter(cycleState(pod), pod, nodeInfo(makeNode(node)));
    expect(st?.reasons[0]).toBe(reason);
    if (st) expect(st.code).toBe('UnschedulableAndUnresolvable');
  });
});
