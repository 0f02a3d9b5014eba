/**
 * ServiceAccount controller (upstream pkg/controller/serviceaccount, "serviceaccount"): every
 * active namespace holds the ServiceAccounts the cluster promises (`default`). One key per
 * namespace, level-based: a namespace added or changed, or one of its ServiceAccounts deleted,
 * makes it look; it creates only what the cache lacks. A namespace that is gone or terminating
 * gets nothing (the API server refuses new content there anyway).
 */
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, Reconciler } from '../controller.js';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const SERVICE_ACCOUNTS = findResource('', 'v1', 'serviceaccounts')!;

/** The ServiceAccounts every namespace gets (upstream's DefaultServiceAccountsControllerOptions). */
export const MANAGED_SERVICE_ACCOUNTS: readonly string[] = ['default'];

type Ns = Namespace & KubeObject;
type Sa = ServiceAccount & KubeObject;

/** Whether new content may go into the namespace: it exists, is Active and not being deleted. */
export function namespaceIsActive(ns: Namespace | undefined): boolean {
  if (!ns || ns.metadata?.deletionTimestamp) return false;
  return (ns.status?.phase ?? 'Active') === 'Active';
}

/** A create refused because the namespace is gone or terminating: nothing left to do. */
export function namespaceRefused(err: unknown): boolean {
  return isApiError(err) && (err.code === 404 || (err.code === 403 && /because it is being terminated/.test(err.message)));
}

class ServiceAccountReconciler implements Reconciler {
  constructor(private readonly ctx: ControllerContext, private readonly namespaces: Informer<Ns>,
    private readonly serviceAccounts: Informer<Sa>, private readonly names: readonly string[]) {}

  async reconcile(key: ObjectKey): Promise<void> {
    if (!namespaceIsActive(this.namespaces.cache.get(key))) return;
    for (const name of this.names) {
      if (this.serviceAccounts.cache.get(`${key}/${name}`)) continue;
      try {
        await this.ctx.client.create(SERVICE_ACCOUNTS, key, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: key } });
        this.ctx.log.info({ namespace: key, serviceAccount: name }, 'Created ServiceAccount');
      } catch (err) {
        if (isApiError(err) && err.reason === 'AlreadyExists') continue;
        if (namespaceRefused(err)) return;
        throw new Error(`create serviceaccount ${key}/${name}`, { cause: err });
      }
    }
  }
}

export function createServiceAccountController(ctx: ControllerContext, names: readonly string[] = MANAGED_SERVICE_ACCOUNTS): Runnable {
  const namespaces = ctx.informers.for<Ns>(NAMESPACES);
  const serviceAccounts = ctx.informers.for<Sa>(SERVICE_ACCOUNTS);
  const reconciler = new ServiceAccountReconciler(ctx, namespaces, serviceAccounts, names);
  const nsOf = (o: KubeObject): ObjectKey[] => (o.metadata?.namespace ? [o.metadata.namespace] : []);
  const controller = new Controller({
    name: 'serviceaccount', workers: 2, log: ctx.log, reconciler,
    watches: [
      { informer: namespaces as Informer<KubeObject>, toKeys: (o) => (o.metadata?.name ? [o.metadata.name] : []) },
      // adds and updates of a managed ServiceAccount change nothing; a delete does (toKeys
      // runs for all three, the reconcile finds the cache holding it and does nothing)
      { informer: serviceAccounts as Informer<KubeObject>, toKeys: (o) => (names.includes(o.metadata?.name ?? '') ? nsOf(o) : []) },
    ],
  });
  return { run: (signal) => controller.run(signal) };
}
