/** pods/binding and the streaming subresources that need the node agent. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Binding, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { badRequest, conflict, isApiError, methodNotAllowed, serviceUnavailable, success } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';
import { rfc3339 } from '../../util/clock.js';
import type { NodeProxy } from '../proxy/node-proxy.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';

const MAX_BIND_RETRIES = 8;
const BINDING = { group: '', resource: 'pods/binding' };

export async function bindPod(h: ResourceHandler, scope: Scope, body: KubeObject, now: Date): Promise<object> {
  const binding = body as unknown as Binding;
  const node = binding.target?.name;
  if (!node) throw badRequest('binding target must name a node');
  const name = scope.name ?? '';
  // Written straight to storage in one step, as upstream's assignPod does: pod update validation
  // forbids changing spec.nodeName, and binding is the one way to set it.
  for (let attempt = 0; ; attempt++) {
    const pod = await h.objects.get(scope.ri, scope.namespace, name);
    const spec = (pod['spec'] ?? {}) as { nodeName?: string };
    if (pod.metadata?.deletionTimestamp) throw conflict(BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw conflict(BINDING, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    const status = { ...((pod['status'] ?? {}) as { conditions?: PodCondition[] }) };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: rfc3339(now) });
    const bound: KubeObject = { ...pod, spec: { ...spec, nodeName: node }, status: { ...status, conditions } };
    if (scope.dryRun) return success({ code: 201 });
    try {
      await h.objects.update(scope.ri, bound, Number(pod.metadata?.resourceVersion));
      return success({ code: 201 });
    } catch (err) {
      if (!(isApiError(err) && err.reason === 'Conflict' && attempt < MAX_BIND_RETRIES)) throw err;
    }
  }
}

export function needsAgent(sub: string, pod: string): ApiError {
  return serviceUnavailable(`pods "${pod}" ${sub}: no node agent serves this subresource yet (the kubelet arrives with the node agent)`);
}

/**
 * pods/log|exec|attach|portforward through the node proxy. Only log arrives here: upgrade requests
 * (exec, attach, portforward) go to the server's 'upgrade' listener, so anything else lacks the upgrade.
 */
export async function servePodStream(
  proxy: NodeProxy | undefined, h: ResourceHandler, scope: Scope, sub: string, req: FastifyRequest, reply: FastifyReply,
): Promise<unknown> {
  const name = scope.name ?? '';
  if (!proxy) { await h.objects.get(scope.ri, scope.namespace, name); throw needsAgent(sub, name); }
  if (sub !== 'log') throw badRequest('Upgrade request required');
  if (req.method !== 'GET') throw methodNotAllowed('the server does not allow this method on the requested resource');
  const stream = await proxy.openLogs(scope.namespace ?? '', name, new URL(req.url, 'http://apiserver').searchParams);
  reply.hijack();
  await stream(reply.raw);
  return reply;
}
