/**
 * CSR approving controller (upstream csrapproving): pending CertificateSigningRequests that
 * autoApproval recognizes get an `Approved` condition (reason AutoApproved) through the
 * /approval subresource; everything else stays Pending for `kubectl certificate approve|deny`.
 * Level-based: approved, denied or issued requests are done; NotFound is done. A node's serving
 * request is looked at again when its Node changes (it may ask before it has registered).
 */
import type { Node, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import { PkiError } from '../../pki/types.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { CSRS, KUBELET_SERVING_SIGNER, isApproved, isDenied, isIssued, parsedRequest } from '../shared/csr.js';
import type { Csr } from '../shared/csr.js';
import { AUTO_APPROVED_REASON, autoApproval } from './auto-approval.js';

const NODES = findResource('', 'v1', 'nodes')!;
const SERVICES = findResource('', 'v1', 'services')!;
const NODE_PREFIX = 'system:node:';

const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

class CsrApproverReconciler implements Reconciler {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly csrs: Informer<Csr>,
    private readonly nodes: Informer<Node & KubeObject>,
    private readonly services: Informer<Service & KubeObject>,
  ) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const cached = this.csrs.cache.get(key);
    if (!cached || isIssued(cached) || isApproved(cached) || isDenied(cached)) return;
    let approval;
    try {
      const requestor = cached.spec.username ?? '';
      const node = requestor.startsWith(NODE_PREFIX) ? this.nodes.cache.get(requestor.slice(NODE_PREFIX.length)) : undefined;
      const api = this.services.cache.get('default/kubernetes');
      const apiServerServiceIps = [...(api?.spec?.clusterIPs ?? []), ...(api?.spec?.clusterIP ? [api.spec.clusterIP] : [])];
      approval = autoApproval(cached, parsedRequest(cached), { node, apiServerServiceIps });
    } catch (err) {
      // validation admitted it, so this is data from before validation: leave it to an admin
      if (err instanceof PkiError) return;
      throw err;
    }
    if (!approval) return;
    const csr = structuredClone(cached);
    const now = rfc3339(this.ctx.clock.now());
    csr.status = {
      ...csr.status,
      conditions: [...(csr.status?.conditions ?? []), {
        type: 'Approved', status: 'True', reason: AUTO_APPROVED_REASON, message: approval.message, lastUpdateTime: now,
      }],
    };
    try {
      await this.ctx.client.update(CSRS, csr, { subresource: 'approval' });
      this.ctx.log.info({ csr: key, permission: approval.permission, requestor: csr.spec.username }, 'Approved certificate signing request');
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      throw new Error(`approve certificate signing request ${key}`, { cause: err });
    }
  }
}

export function createCsrApproverController(ctx: ControllerContext): Runnable {
  const csrs = ctx.informers.for<Csr>(CSRS);
  const nodes = ctx.informers.for<Node & KubeObject>(NODES);
  const services = ctx.informers.for<Service & KubeObject>(SERVICES);
  /** The pending serving requests of a node, looked at again when its Node (its addresses) changes. */
  const servingRequestsOf = (node: KubeObject): ObjectKey[] => csrs.cache.list()
    .filter((c) => c.spec.signerName === KUBELET_SERVING_SIGNER && c.spec.username === `${NODE_PREFIX}${node.metadata?.name ?? ''}`)
    .map((c) => keyOf(c));
  const controller = new Controller({
    name: 'csrapproving', workers: 1, log: ctx.log,
    reconciler: new CsrApproverReconciler(ctx, csrs, nodes, services),
    watches: [
      { informer: csrs as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
      { informer: nodes as Informer<KubeObject>, toKeys: servingRequestsOf },
      { informer: services as Informer<KubeObject>, toKeys: () => [] }, // read at reconcile: synced first
    ],
  });
  return { run: (signal) => controller.run(signal) };
}
