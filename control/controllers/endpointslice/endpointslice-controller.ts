/**
 * EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service with a
 * selector, IPv4 EndpointSlices named `<service>-<random>` (generateName), labelled with the
 * service name and `managed-by: endpointslice-controller.k8s.io`, owned by the Service, holding
 * at most 100 endpoints each with ready/serving/terminating conditions. Terminating pods stay
 * listed (ready=false, terminating=true), as upstream. Slices of the Service are planned by
 * slice-planner.ts; writes the cache has not seen yet hold the next look back (no duplicates).
 */
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { selectorFromSet } from '../../api/labels.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller, splitKey } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { mirroredLabels, servicesSelecting } from '../endpoints/endpoints-controller.js';
import { findPort, hasSelector, shouldPodBeInEndpoints, shouldSetHostname } from '../endpoints/pod-endpoint.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { isPodReady } from '../../api/pod-conditions.js';
import { groupByPorts, planSlices } from './slice-planner.js';
import { WriteTracker } from './write-tracker.js';

const SERVICES = findResource('', 'v1', 'services')!;
const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const SERVICE_INDEX = 'endpointslice-controller/service';
const STALE_CACHE_RETRY_MS = 20;

/** The endpoint of a pod in a slice of `svc` (upstream podToEndpoint). */
export function podToEndpoint(pod: Pod, svc: Service, node: Node | undefined): Endpoint {
  const md = pod.metadata ?? {};
  const serving = isPodReady(pod);
  const terminating = !!md.deletionTimestamp;
  // "ready" is never true for a terminating pod unless publishNotReadyAddresses
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const zone = node?.metadata?.labels?.['topology.kubernetes.io/zone'];
  return {
    addresses: [pod.status?.podIP ?? ''],
    conditions: { ready, serving, terminating },
    ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec?.hostname } : {}),
    targetRef: { kind: 'Pod', namespace: md.namespace, name: md.name, uid: md.uid },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(zone ? { zone } : {}),
  };
}

/** The ports a pod offers for `svc` (pods lacking a named port are left out of that port). */
export function podEndpointPorts(pod: Pod, svc: Service): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

function sliceLabels(svc: Service): Record<string, string> {
  return { ...mirroredLabels(svc), [SERVICE_NAME_LABEL]: svc.metadata?.name ?? '', [MANAGED_BY_LABEL]: CONTROLLER_NAME };
}

class SliceReconciler implements Reconciler {
  readonly tracker = new WriteTracker();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly services: Informer<Service & KubeObject>,
    private readonly pods: Informer<Pod & KubeObject>,
    private readonly nodes: Informer<Node & KubeObject>,
    private readonly slices: Informer<EndpointSlice & KubeObject>,
  ) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const { namespace } = splitKey(key);
    if (!this.tracker.seenBy(key, this.slices.cache)) return { requeueAfterMs: STALE_CACHE_RETRY_MS };
    const existing = this.slices.cache.byIndex(SERVICE_INDEX, key);
    const svc = this.services.cache.get(key);
    if (!svc || !hasSelector(svc) || svc.metadata?.deletionTimestamp) {
      // the garbage collector would remove owned slices too; doing it here is quicker
      for (const s of existing) await this.remove(key, s);
      return;
    }
    const selector = selectorFromSet(svc.spec?.selector);
    const entries: Array<{ ports: EndpointPort[]; endpoint: Endpoint }> = [];
    for (const pod of this.pods.cache.list(namespace)) {
      if (!selector.matches(pod.metadata?.labels) || !shouldPodBeInEndpoints(pod, true)) continue;
      if ((pod.status?.podIP ?? '').includes(':')) continue; // IPv6 only: not in an IPv4 slice
      const node = pod.spec?.nodeName ? this.nodes.cache.get(pod.spec.nodeName) : undefined;
      entries.push({ ports: podEndpointPorts(pod, svc), endpoint: podToEndpoint(pod, svc, node) });
    }
    const labels = sliceLabels(svc);
    const owner = { apiVersion: 'v1', kind: 'Service', name: svc.metadata?.name ?? '', uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
    const plan = planSlices({
      desired: groupByPorts(entries),
      existing: existing.filter((s) => s.addressType === 'IPv4'),
      labelsOk: (s) => canonicalJson(s.metadata?.labels ?? {}) === canonicalJson(labels),
    });
    for (const s of existing) if (s.addressType !== 'IPv4') plan.delete.push(s);

    for (const s of plan.delete) await this.remove(key, s);
    for (const s of plan.update) {
      s.metadata = { ...s.metadata, labels };
      const written = await this.ctx.client.update<EndpointSlice & KubeObject>(SLICES, s as unknown as KubeObject);
      this.tracker.wrote(key, written);
    }
    for (const c of plan.create) {
      const slice: EndpointSlice = {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { generateName: `${svc.metadata?.name ?? ''}-`, namespace, labels, ownerReferences: [owner] },
        addressType: 'IPv4', endpoints: c.endpoints, ports: c.ports,
      };
      const written = await this.ctx.client.create<EndpointSlice & KubeObject>(SLICES, namespace, slice as unknown as KubeObject);
      this.tracker.wrote(key, written);
    }
  }

  private async remove(key: ObjectKey, s: EndpointSlice): Promise<void> {
    const md = s.metadata ?? {};
    try {
      await this.ctx.client.delete(SLICES, md.namespace, md.name ?? '', { preconditions: { uid: md.uid } });
    } catch (err) {
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
    this.tracker.deleted(key, s as unknown as KubeObject);
  }
}

export function createEndpointSliceController(ctx: ControllerContext): Runnable {
  const services = ctx.informers.for<Service & KubeObject>(SERVICES);
  const pods = ctx.informers.for<Pod & KubeObject>(PODS);
  const nodes = ctx.informers.for<Node & KubeObject>(NODES);
  const slices = ctx.informers.for<EndpointSlice & KubeObject>(SLICES);
  slices.addIndex(SERVICE_INDEX, (s) => {
    const l = s.metadata?.labels ?? {};
    const svc = l[SERVICE_NAME_LABEL];
    return svc && l[MANAGED_BY_LABEL] === CONTROLLER_NAME ? [`${s.metadata?.namespace ?? ''}/${svc}`] : [];
  });
  const sliceKeys = (o: KubeObject): ObjectKey[] => {
    const l = o.metadata?.labels ?? {};
    const svc = l[SERVICE_NAME_LABEL];
    return svc && l[MANAGED_BY_LABEL] === CONTROLLER_NAME ? [`${o.metadata?.namespace ?? ''}/${svc}`] : [];
  };
  const controller = new Controller({
    name: 'endpointslice', workers: 2, log: ctx.log,
    reconciler: new SliceReconciler(ctx, services, pods, nodes, slices),
    watches: [
      { informer: services as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
      { informer: pods as Informer<KubeObject>, toKeys: (o) => servicesSelecting(services, o as Pod) },
      { informer: slices as Informer<KubeObject>, toKeys: sliceKeys },
    ],
  });
  return {
    async run(signal: AbortSignal): Promise<void> {
      if (!(await nodes.waitForSync(signal))) return;
      await controller.run(signal);
    },
  };
}
