/** pods/binding, pods/eviction, and the streaming subresources that need the node agent. */
import type { Binding, PodCondition } from 'kubernetes-types/core/v1.js';
import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { badRequest, conflict, serviceUnavailable } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';
import { rfc3339 } from '../../util/clock.js';
import { deleteObject } from '../registry/deleter.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';

const success = (code: number) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code });

export async function bindPod(h: ResourceHandler, scope: Scope, body: KubeObject, now: Date): Promise<object> {
  const binding = body as unknown as Binding;
  const node = binding.target?.name;
  if (!node) throw badRequest('binding target must name a node');
  await h.update({ ...scope, fieldValidation: 'Ignore' }, (pod) => {
    const spec = (pod['spec'] ?? {}) as { nodeName?: string };
    if (pod.metadata?.deletionTimestamp) throw conflict(scope.ri, scope.name ?? '', `pod ${scope.name ?? ''} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw conflict(scope.ri, scope.name ?? '', `pod ${scope.name ?? ''} is already assigned to node "${spec.nodeName}"`);
    return { ...pod, spec: { ...spec, nodeName: node } };
  });
  // PodScheduled=True goes to status, as the binding REST of the apiserver does
  await h.update({ ...scope, fieldValidation: 'Ignore' }, (pod) => {
    const status = { ...((pod['status'] ?? {}) as { conditions?: PodCondition[] }) };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: rfc3339(now) });
    return { ...pod, status: { ...status, conditions } };
  }, { subresource: 'status' });
  return success(201);
}

export async function evictPod(h: ResourceHandler, scope: Scope, body: KubeObject): Promise<object> {
  const opts = isRecord(body['deleteOptions']) ? (body['deleteOptions'] as DeleteOptions) : {};
  await deleteObject(h, scope, opts);
  return success(201);
}

export function needsAgent(sub: string, pod: string): ApiError {
  return serviceUnavailable(`pods "${pod}" ${sub}: no node agent serves this subresource yet (the kubelet arrives with the node agent)`);
}
