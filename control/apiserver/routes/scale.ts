/** The /scale subresource (autoscaling/v1 Scale) of deployments, replicasets and replicationcontrollers. */
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { badRequest, conflict, invalid } from '../../api/status.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';

export function scaleOf(obj: KubeObject): Scale {
  const spec = (obj['spec'] ?? {}) as { replicas?: number; selector?: LabelSelector | Record<string, string> };
  const status = (obj['status'] ?? {}) as { replicas?: number };
  const md = obj.metadata ?? {};
  const sel = spec.selector;
  // ReplicationController selectors are plain maps; apps selectors are LabelSelectors
  const selector = sel === undefined ? undefined
    : ('matchLabels' in sel || 'matchExpressions' in sel) ? selectorFromLabelSelector(sel as LabelSelector).toString()
      : selectorFromLabelSelector({ matchLabels: sel as Record<string, string> }).toString();
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: md.name, namespace: md.namespace, uid: md.uid, resourceVersion: md.resourceVersion, creationTimestamp: md.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/**
 * The replicas a proposed Scale asks for, checked as upstream does: a Scale body, a pinned
 * resourceVersion that is the current one, and spec.replicas a whole number ≥ 0 (absent is 0: Go's
 * int32 without omitempty, as a typed client's protobuf Scale to zero has none).
 */
export function proposedReplicas(scope: Scope, cur: Scale, proposed: unknown): number {
  if (!isRecord(proposed)) throw badRequest('the body of the request was not a Scale');
  const md = (proposed['metadata'] ?? {}) as { resourceVersion?: string };
  if (md.resourceVersion && md.resourceVersion !== cur.metadata?.resourceVersion) throw conflict(scope.ri, scope.name ?? '');
  const replicas = (proposed['spec'] as { replicas?: unknown } | undefined)?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', { group: 'autoscaling', resource: 'scale' }, scope.name ?? '',
      [{ type: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` }]);
  }
  return replicas;
}

/** Write a new Scale (from PUT, or from a patched Scale) into the parent's spec.replicas. */
export async function updateScale(h: ResourceHandler, scope: Scope, next: (current: Scale) => unknown): Promise<Scale> {
  const updated = await h.update({ ...scope, fieldValidation: 'Ignore' }, (parent) => {
    const cur = scaleOf(parent);
    const replicas = proposedReplicas(scope, cur, next(cur));
    const spec = { ...((parent['spec'] ?? {}) as Record<string, unknown>), replicas };
    return { ...parent, spec, metadata: { ...parent.metadata, resourceVersion: undefined } };
  });
  return scaleOf(updated);
}
