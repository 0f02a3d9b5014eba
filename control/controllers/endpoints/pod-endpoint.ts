/**
 * What the Endpoints and EndpointSlice controllers ask of a pod (upstream
 * pkg/controller/util/endpoint + pkg/api/v1/pod): readiness, whether it belongs in endpoints at
 * all, the port a service port targets on it, and whether it publishes a hostname (readiness is
 * control/api/pod-conditions.ts).
 */
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { isPodTerminal } from '../../api/pod-conditions.js';

/**
 * Upstream ShouldPodBeInEndpoints: terminal pods and pods without an IP never are; pods being
 * deleted only when `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/**
 * The container port a service port targets on this pod (upstream podutil.FindPort): a number is
 * used as is; a name is looked up among the pod's container ports with the same protocol.
 * Undefined when the pod has no such named port (the pod is then left out for that port).
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (target !== '' && Number.isInteger(asNumber)) return asNumber;
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** Upstream ShouldSetHostname: the pod's hostname is published when its subdomain is the service. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace;
}

/** Services with a selector are the controllers' business; the rest are user-managed. */
export function hasSelector(svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0;
}
