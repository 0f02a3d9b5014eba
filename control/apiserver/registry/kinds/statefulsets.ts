/**
 * StatefulSet strategy (upstream pkg/registry/apps/statefulset, 1.32 feature gates): status starts
 * at zero, spec changes bump the generation, /status keeps the spec. MaxUnavailableStatefulSet is an
 * alpha gate, off: rollingUpdate.maxUnavailable is dropped unless the stored object already has it.
 */
import type { KubeObject } from '../../../api/object.js';
import { validateStatefulSetStatusUpdate } from '../../../api/validation/statefulset.js';
import type { Strategy } from '../strategy.js';

type Spec = { updateStrategy?: { rollingUpdate?: { maxUnavailable?: unknown } } };

const rollingUpdateOf = (obj: KubeObject): { maxUnavailable?: unknown } | undefined => (obj['spec'] as Spec | undefined)?.updateStrategy?.rollingUpdate;

function dropMaxUnavailable(obj: KubeObject, old?: KubeObject): void {
  const ru = rollingUpdateOf(obj);
  if (ru && (!old || rollingUpdateOf(old)?.maxUnavailable === undefined)) delete ru.maxUnavailable;
}

export const statefulSetStrategy: Strategy = {
  tracksGeneration: true,
  statusWritesMetadata: true,
  prepareForCreate(obj: KubeObject): void {
    obj['status'] = { replicas: 0, availableReplicas: 0 };
    dropMaxUnavailable(obj);
  },
  prepareForUpdate(obj: KubeObject, old: KubeObject): void {
    dropMaxUnavailable(obj, old);
  },
  validateSubresourceUpdate: (_sub, obj, old) => validateStatefulSetStatusUpdate(obj, old),
};
