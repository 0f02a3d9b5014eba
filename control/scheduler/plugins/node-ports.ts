/** NodePorts: a pod's hostPorts must not clash with those pods on the node already hold. */
import type { FilterPlugin, PreFilterPlugin } from '../types.js';
import { unschedulable } from '../types.js';

export const NODE_PORTS = 'NodePorts';
export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

export const nodePortsPlugin: PreFilterPlugin & FilterPlugin = {
  name: NODE_PORTS,
  events: ['NodeAdd', 'NodeUpdate', 'AssignedPodDelete'],
  preFilter(state) {
    if (state.podInfo.hostPorts.length === 0) state.skipFilterPlugins.add(NODE_PORTS);
    return undefined;
  },
  filter(state, _pod, node) {
    const wanted = state.podInfo.hostPorts;
    if (wanted.length === 0 || node.usedPorts.size === 0) return undefined;
    for (const hp of wanted) if (node.portInUse(hp)) return unschedulable(NODE_PORTS, ERR_REASON_PORTS);
    return undefined;
  },
};
