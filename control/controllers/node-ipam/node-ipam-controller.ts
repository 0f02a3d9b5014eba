/**
 * Node IPAM controller (upstream ipam range allocator): every Node without spec.podCIDR gets the
 * next free subnet (a /24 by default) of the cluster CIDR in spec.podCIDR and spec.podCIDRs. The
 * set of taken subnets is rebuilt from the nodes at start, and a node's subnet is released when
 * the node is deleted. One worker, so allocations never race.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { CidrSet } from './cidr-set.js';

const NODES = findResource('', 'v1', 'nodes')!;
const EXHAUSTED_RETRY_MS = 10_000;

class IpamReconciler implements Reconciler {
  /** node name -> the subnet we gave it (or saw on it). */
  private readonly assigned = new Map<string, string>();
  private readonly recorder;

  constructor(private readonly ctx: ControllerContext, private readonly nodes: Informer<Node & KubeObject>, private readonly cidrs: CidrSet) {
    this.recorder = ctx.recorder('node-controller');
  }

  /** Take the subnets nodes already have (before any allocation). */
  rebuild(): void {
    for (const n of this.nodes.cache.list()) this.adopt(n);
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const node = this.nodes.cache.get(key);
    const mine = this.assigned.get(key);
    if (!node) {
      if (mine) { this.cidrs.release(mine); this.assigned.delete(key); this.ctx.log.info({ node: key, cidr: mine }, 'Released pod CIDR'); }
      return;
    }
    if (node.spec?.podCIDR) { this.adopt(node); return; }
    const cidr = mine ?? this.cidrs.allocateNext();
    if (!cidr) {
      this.recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${key} status is now: CIDRNotAvailable`);
      return { requeueAfterMs: EXHAUSTED_RETRY_MS };
    }
    this.assigned.set(key, cidr);
    try {
      await this.ctx.client.patch(NODES, undefined, key, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      this.ctx.log.info({ node: key, cidr }, 'Assigned pod CIDR');
    } catch (err) {
      if (isApiError(err) && err.code === 404) { this.cidrs.release(cidr); this.assigned.delete(key); return; }
      this.recorder.event(node, 'Warning', 'CIDRAssignmentFailed', `Node ${key} status is now: CIDRAssignmentFailed`);
      throw new Error(`assign pod CIDR ${cidr} to node ${key}`, { cause: err });
    }
  }

  private adopt(node: Node): void {
    const name = node.metadata?.name ?? '';
    const cidr = node.spec?.podCIDR;
    if (!cidr) return;
    const had = this.assigned.get(name);
    if (had === cidr) return;
    if (had) this.cidrs.release(had);
    if (this.cidrs.occupy(cidr)) this.assigned.set(name, cidr);
    else { this.assigned.delete(name); this.ctx.log.warn({ node: name, cidr }, 'Node pod CIDR is outside the cluster CIDR'); }
  }
}

export function createNodeIpamController(ctx: ControllerContext): Runnable {
  const nodes = ctx.informers.for<Node & KubeObject>(NODES);
  const cidrs = new CidrSet({ clusterCidr: ctx.options.clusterCidr });
  const reconciler = new IpamReconciler(ctx, nodes, cidrs);
  const controller = new Controller({
    name: 'node-ipam', workers: 1, log: ctx.log, reconciler,
    watches: [{ informer: nodes as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] }],
  });
  return {
    async run(signal: AbortSignal): Promise<void> {
      if (!(await nodes.waitForSync(signal))) return;
      reconciler.rebuild();
      await controller.run(signal);
    },
  };
}
