/** NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods tolerating its taint. */
import type { FilterPlugin } from '../types.js';
import { unschedulable } from '../types.js';
import { tolerated } from '../../api/tolerations.js';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulablePlugin: FilterPlugin = {
  name: NODE_UNSCHEDULABLE,
  events: ['NodeAdd', 'NodeUpdate'],
  filter(_state, pod, node) {
    if (!node.unschedulable || tolerated(pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
    return unschedulable(NODE_UNSCHEDULABLE, ERR_REASON_UNSCHEDULABLE, 'UnschedulableAndUnresolvable');
  },
};
