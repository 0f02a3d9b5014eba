/**
 * Endpoints controller (upstream pkg/controller/endpoint): for every Service with a selector, an
 * Endpoints object of the same name listing the selected pods' IPs (ready ones in `addresses`,
 * others in `notReadyAddresses` unless publishNotReadyAddresses), with ports resolved per pod from
 * the service's targetPort. Services without a selector keep their user-managed Endpoints; when
 * a Service goes away its Endpoints go too. Level-based and idempotent.
 */
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { selectorFromSet } from '../../api/labels.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller, splitKey } from '../controller.js';
import type { ObjectKey, Reconciler } from '../controller.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { isPodReady } from '../../api/pod-conditions.js';
import { findPort, hasSelector, shouldPodBeInEndpoints, shouldSetHostname } from './pod-endpoint.js';
import { packSubsets } from './subsets.js';
import type { AddressEntry } from './subsets.js';

const SERVICES = findResource('', 'v1', 'services')!;
const PODS = findResource('', 'v1', 'pods')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;

export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

/** Keys of the services in the pod's namespace whose selector matches it. */
export function servicesSelecting(services: Informer<Service & KubeObject>, pod: Pod): ObjectKey[] {
  const ns = pod.metadata?.namespace ?? '';
  return services.cache.list(ns)
    .filter((s) => hasSelector(s) && selectorFromSet(s.spec?.selector).matches(pod.metadata?.labels))
    .map((s) => keyOf(s));
}

/** The labels an Endpoints (or EndpointSlice) mirrors from its Service. */
export function mirroredLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = ''; else delete labels[HEADLESS_LABEL];
  return labels;
}

/** The address entries (before packing) of the selected pods. */
export function endpointEntries(svc: Service, pods: readonly Pod[]): AddressEntry[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const out: AddressEntry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const md = pod.metadata ?? {};
    const address = {
      ip: pod.status?.podIP ?? '',
      ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec?.hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: md.namespace, name: md.name, uid: md.uid },
    };
    const ready = tolerateUnready || isPodReady(pod);
    const svcPorts = svc.spec?.ports ?? [];
    if (svcPorts.length === 0) {
      if (svc.spec?.clusterIP === 'None') out.push({ address, ready, ports: [] });
      continue;
    }
    for (const sp of svcPorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue; // this pod lacks the named port: left out for it
      out.push({
        address, ready,
        ports: [{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }],
      });
    }
  }
  return out;
}

class EndpointsReconciler implements Reconciler {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly services: Informer<Service & KubeObject>,
    private readonly pods: Informer<Pod & KubeObject>,
    private readonly endpoints: Informer<Endpoints & KubeObject>,
  ) {}

  async reconcile(key: ObjectKey): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.cache.get(key);
    if (!svc) {
      await this.ctx.client.delete(ENDPOINTS, namespace, name).catch(ignoreNotFound);
      return;
    }
    if (!hasSelector(svc)) return; // user-managed Endpoints (e.g. `kubernetes` in default)
    const selector = selectorFromSet(svc.spec?.selector);
    const pods = this.pods.cache.list(namespace).filter((p) => selector.matches(p.metadata?.labels));
    const subsets = packSubsets(endpointEntries(svc, pods));
    const labels = mirroredLabels(svc);
    const current = this.endpoints.cache.get(key);
    if (current && canonicalJson(current.subsets ?? []) === canonicalJson(subsets) && canonicalJson(current.metadata?.labels ?? {}) === canonicalJson(labels)) return;

    const annotations = { ...(current?.metadata?.annotations ?? {}), [TRIGGER_TIME_ANNOTATION]: this.ctx.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    if (!current) {
      const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels, annotations }, subsets };
      await this.ctx.client.create(ENDPOINTS, namespace, ep as KubeObject);
      return;
    }
    const next = structuredClone(current);
    next.metadata = { ...next.metadata, labels, annotations };
    next.subsets = subsets;
    await this.ctx.client.update(ENDPOINTS, next);
  }
}

function ignoreNotFound(err: unknown): void {
  if (!(isApiError(err) && err.code === 404)) throw err;
}

export function createEndpointsController(ctx: ControllerContext): Runnable {
  const services = ctx.informers.for<Service & KubeObject>(SERVICES);
  const pods = ctx.informers.for<Pod & KubeObject>(PODS);
  const endpoints = ctx.informers.for<Endpoints & KubeObject>(ENDPOINTS);
  const controller = new Controller({
    name: 'endpoints', workers: 2, log: ctx.log,
    reconciler: new EndpointsReconciler(ctx, services, pods, endpoints),
    watches: [
      { informer: services as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
      { informer: pods as Informer<KubeObject>, toKeys: (o) => servicesSelecting(services, o as Pod) },
    ],
  });
  // an Endpoints deleted by hand is recreated; other Endpoints changes are not ours to react to
  endpoints.on({ delete: (o) => controller.enqueue(keyOf(o)) });
  return {
    async run(signal: AbortSignal): Promise<void> {
      if (!(await endpoints.waitForSync(signal)) || !(await services.waitForSync(signal))) return;
      // upstream checkLeftoverEndpoints: Endpoints whose Service is gone are removed at start
      for (const ep of endpoints.cache.list()) {
        if (ep.metadata?.annotations?.[LEADER_ANNOTATION] !== undefined) continue;
        if (!services.cache.get(keyOf(ep))) controller.enqueue(keyOf(ep));
      }
      await controller.run(signal);
    },
  };
}
