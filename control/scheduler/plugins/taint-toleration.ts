/**
 * TaintToleration: filter out nodes with a NoSchedule/NoExecute taint the pod does not tolerate;
 * score nodes by how few PreferNoSchedule taints the pod does not tolerate (reverse-normalized).
 */
import type { Toleration } from 'kubernetes-types/core/v1.js';
import type { FilterPlugin, ScorePlugin } from '../types.js';
import { unschedulable } from '../types.js';
import { defaultNormalize } from './normalize.js';
import { tolerated } from '../../api/tolerations.js';

export const TAINT_TOLERATION = 'TaintToleration';
const STATE_KEY = 'TaintToleration/preferNoSchedule';

export const taintTolerationPlugin: FilterPlugin & ScorePlugin = {
  name: TAINT_TOLERATION,
  events: ['NodeAdd', 'NodeUpdate'],
  filter(_state, pod, node) {
    for (const taint of node.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (tolerated(pod.spec?.tolerations, taint)) continue;
      return unschedulable(TAINT_TOLERATION, `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`, 'UnschedulableAndUnresolvable');
    }
    return undefined;
  },
  score(state, pod, node) {
    let n = 0;
    if (node.taints.length === 0) return 0;
    let tols = state.read<Toleration[]>(STATE_KEY);
    if (!tols) { tols = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule'); state.write(STATE_KEY, tols); }
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !tolerated(tols, taint)) n++;
    return n;
  },
  normalize(scores) { defaultNormalize(scores, { reverse: true }); },
};
