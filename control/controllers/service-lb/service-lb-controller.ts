/**
 * Service load-balancer controller (tinykube's stand-in for a cloud LB, like k3s's servicelb):
 * every `type: LoadBalancer` Service gets `status.loadBalancer.ingress` = one `{ip}` per Ready
 * node's InternalIP, sorted, so nothing stays `<pending>`; the netproxy answers on those addresses.
 * Node changes re-reconcile every LoadBalancer Service; a Service whose type changed away from
 * LoadBalancer loses the ingress. Level-based and idempotent: it writes only on a difference.
 * A node writes its own addresses and the API does not check their values (as upstream), so only
 * strict dotted-quad IPv4 InternalIPs are copied; any other value is skipped and logged once.
 */
import type { Node, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import { isIPv4 } from '../../util/ipv4.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';

const SERVICES = findResource('', 'v1', 'services')!;
const NODES = findResource('', 'v1', 'nodes')!;

type Svc = Service & KubeObject;
type NodeObj = Node & KubeObject;

const ipKey = (ip: string) => ip.split('.').map((p) => p.padStart(3, '0')).join('.');

/** An InternalIP that is not an IPv4 address: which node, and what it said. */
export interface SkippedAddress { node: string; address: unknown }

/** InternalIPs of Ready nodes, unique and sorted numerically; `skipped` hears of the invalid ones. */
export function readyNodeIPs(nodes: readonly Node[], skipped?: (s: SkippedAddress) => void): string[] {
  const ips = new Set<string>();
  for (const n of nodes) {
    const ready = n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (!ready) continue;
    for (const a of n.status?.addresses ?? []) {
      if (a.type !== 'InternalIP') continue;
      if (typeof a.address === 'string' && isIPv4(a.address)) ips.add(a.address);
      else skipped?.({ node: n.metadata?.name ?? '', address: a.address });
    }
  }
  return [...ips].sort((a, b) => (ipKey(a) < ipKey(b) ? -1 : ipKey(a) > ipKey(b) ? 1 : 0));
}

class ServiceLbReconciler implements Reconciler {
  /** Invalid addresses already logged ("node\0address"): each is logged once while it stays. */
  private logged = new Set<string>();

  constructor(private readonly ctx: ControllerContext, private readonly services: Informer<Svc>, private readonly nodes: Informer<NodeObj>) {}

  private nodeIPs(): string[] {
    const now = new Set<string>();
    const ips = readyNodeIPs(this.nodes.cache.list(), ({ node, address }) => {
      const id = `${node}\u0000${JSON.stringify(address)}`;
      if (!this.logged.has(id) && !now.has(id)) this.ctx.log.warn({ node, address }, 'Skipped a node InternalIP that is not an IPv4 address');
      now.add(id);
    });
    this.logged = now;
    return ips;
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const svc = this.services.cache.get(key);
    if (!svc) return;
    const isLb = svc.spec?.type === 'LoadBalancer';
    const current = svc.status?.loadBalancer?.ingress ?? [];
    const wantIps = isLb ? this.nodeIPs() : [];
    const same = current.length === wantIps.length && current.every((i, n) => i.ip === wantIps[n] && !i.hostname);
    if (same) return;
    const ingress = wantIps.length > 0 ? wantIps.map((ip) => ({ ip, ipMode: 'VIP' })) : null;
    const ns = svc.metadata?.namespace;
    const name = svc.metadata?.name ?? '';
    try {
      await this.ctx.client.patch(SERVICES, ns, name, 'merge', { status: { loadBalancer: { ingress } } }, { subresource: 'status' });
      this.ctx.log.info({ service: key, ingress: wantIps }, isLb ? 'Updated load balancer ingress' : 'Removed load balancer ingress');
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      throw new Error(`update load balancer status of service ${key}`, { cause: err });
    }
  }
}

export function createServiceLbController(ctx: ControllerContext): Runnable {
  const services = ctx.informers.for<Svc>(SERVICES);
  const nodes = ctx.informers.for<NodeObj>(NODES);
  const reconciler = new ServiceLbReconciler(ctx, services, nodes);
  const lbKeys = () => services.cache.list().filter((s) => s.spec?.type === 'LoadBalancer').map((s) => keyOf(s));
  const controller = new Controller({
    name: 'service-lb', workers: 1, log: ctx.log, reconciler,
    watches: [
      { informer: services as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
      { informer: nodes as Informer<KubeObject>, toKeys: () => lbKeys() },
    ],
  });
  return { run: (signal) => controller.run(signal) };
}
