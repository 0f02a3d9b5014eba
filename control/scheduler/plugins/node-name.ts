/** NodeName: a pod that names its node (spec.nodeName) fits only there. */
import type { FilterPlugin } from '../types.js';
import { unschedulable } from '../types.js';

export const NODE_NAME = 'NodeName';
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export const nodeNamePlugin: FilterPlugin = {
  name: NODE_NAME,
  events: ['NodeAdd'],
  filter(_state, pod, node) {
    const want = pod.spec?.nodeName;
    if (!want || want === node.name) return undefined;
    return unschedulable(NODE_NAME, ERR_REASON_NODE_NAME, 'UnschedulableAndUnresolvable');
  },
};
