/** Job strategy: the generated selector and labels (batch.kubernetes.io/controller-uid) once the uid exists. */
import type { KubeObject } from '../../../api/object.js';
import { applyJobSelector } from '../../../api/defaults/workloads.js';
import type { Strategy } from '../strategy.js';

export const jobStrategy: Strategy = {
  tracksGeneration: true,
  prepareForCreate(obj: KubeObject) {
    applyJobSelector(obj as Record<string, unknown>, obj.metadata?.uid ?? '');
  },
};
