/**
 * NodeResourcesFit (filter): the pod's requests must fit the node's allocatable minus what its pods
 * already request, for cpu, memory and the pod count. Requests above the node's whole allocatable
 * cannot be fixed by preemption (UnschedulableAndUnresolvable), as upstream.
 */
import type { FilterPlugin, PluginStatus } from '../types.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

export const nodeResourcesFitPlugin: FilterPlugin = {
  name: NODE_RESOURCES_FIT,
  events: ['NodeAdd', 'NodeUpdate', 'AssignedPodDelete'],
  filter(state, _pod, node) {
    const req = state.podInfo.requests;
    const a = node.allocatable;
    let reasons: string[] | undefined;
    let unresolvable = false; // any request above the whole allocatable: preemption cannot help
    if (node.pods.size + 1 > a.pods) {
      (reasons ??= []).push('Too many pods');
      if (a.pods < 1) unresolvable = true;
    }
    if (req.milliCpu > 0 && req.milliCpu > a.milliCpu - node.requested.milliCpu) {
      (reasons ??= []).push('Insufficient cpu');
      if (req.milliCpu > a.milliCpu) unresolvable = true;
    }
    if (req.memory > 0 && req.memory > a.memory - node.requested.memory) {
      (reasons ??= []).push('Insufficient memory');
      if (req.memory > a.memory) unresolvable = true;
    }
    if (!reasons) return undefined;
    const status: PluginStatus = { code: unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons, plugin: NODE_RESOURCES_FIT };
    return status;
  },
};
