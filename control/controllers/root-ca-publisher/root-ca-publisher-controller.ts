/**
 * Root-CA publisher (upstream pkg/controller/certificates/rootcacertpublisher,
 * "root-ca-cert-publisher"): every namespace holds a `kube-root-ca.crt` ConfigMap whose `ca.crt`
 * is the cluster CA, so pods can check the API server they reach at kubernetes.default.svc.
 * One key per namespace, level-based: a namespace added or changed, or its ConfigMap changed or
 * deleted, makes it look; it writes only on a difference, and puts back data someone changed
 * (other keys go, as upstream). A namespace that is gone or terminating is left alone.
 * Without ControllerOptions.ca it does nothing.
 */
import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, Reconciler } from '../controller.js';
import { namespaceIsActive, namespaceRefused } from '../serviceaccount/serviceaccount-controller.js';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const ROOT_CA_KEY = 'ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION = 'The CA bundle to verify the kube-apiserver at its in-cluster endpoints '
  + '(the kubernetes service IP, kubernetes.default.svc); no other use is promised.';

type Ns = Namespace & KubeObject;
type Cm = ConfigMap & KubeObject;

/** PURE: the ConfigMap as it should be, from the current one (other metadata kept) or new. */
export function desiredRootCa(namespace: string, caPem: string, current?: Cm): Cm {
  const base: Cm = current ? structuredClone(current) : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace } };
  base.metadata = { ...base.metadata, annotations: { ...(base.metadata?.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION } };
  base.data = { [ROOT_CA_KEY]: caPem };
  delete base.binaryData;
  return base;
}

/** Whether a stored ConfigMap already says what it should: only `ca.crt`, and a description. */
export function rootCaIsCurrent(cm: ConfigMap, caPem: string): boolean {
  const keys = Object.keys(cm.data ?? {});
  return keys.length === 1 && cm.data?.[ROOT_CA_KEY] === caPem && Object.keys(cm.binaryData ?? {}).length === 0
    && (cm.metadata?.annotations?.[DESCRIPTION_ANNOTATION] ?? '') !== '';
}

class RootCaPublisher implements Reconciler {
  constructor(private readonly ctx: ControllerContext, private readonly caPem: string,
    private readonly namespaces: Informer<Ns>, private readonly configMaps: Informer<Cm>) {}

  async reconcile(key: ObjectKey): Promise<void> {
    if (!namespaceIsActive(this.namespaces.cache.get(key))) return;
    const cm = this.configMaps.cache.get(`${key}/${ROOT_CA_CONFIGMAP}`);
    if (cm && rootCaIsCurrent(cm, this.caPem)) return;
    try {
      if (!cm) {
        await this.ctx.client.create(CONFIGMAPS, key, desiredRootCa(key, this.caPem));
        this.ctx.log.info({ namespace: key, configMap: ROOT_CA_CONFIGMAP }, 'Published root CA');
      } else {
        await this.ctx.client.update(CONFIGMAPS, desiredRootCa(key, this.caPem, cm));
        this.ctx.log.info({ namespace: key, configMap: ROOT_CA_CONFIGMAP }, 'Restored root CA');
      }
    } catch (err) {
      if (namespaceRefused(err)) return;
      // AlreadyExists / Conflict: the cache is behind; the informer's event brings the key back
      throw new Error(`publish ${key}/${ROOT_CA_CONFIGMAP}`, { cause: err });
    }
  }
}

export function createRootCaPublisherController(ctx: ControllerContext): Runnable {
  const caPem = ctx.options.ca?.certPem;
  if (!caPem) return { run: async () => { ctx.log.info('No cluster CA: not publishing kube-root-ca.crt'); } };
  const namespaces = ctx.informers.for<Ns>(NAMESPACES);
  const configMaps = ctx.informers.for<Cm>(CONFIGMAPS);
  const controller = new Controller({
    name: 'root-ca-cert-publisher', workers: 2, log: ctx.log, reconciler: new RootCaPublisher(ctx, caPem, namespaces, configMaps),
    watches: [
      { informer: namespaces as Informer<KubeObject>, toKeys: (o) => (o.metadata?.name ? [o.metadata.name] : []) },
      { informer: configMaps as Informer<KubeObject>, toKeys: (o) => (o.metadata?.name === ROOT_CA_CONFIGMAP && o.metadata.namespace ? [o.metadata.namespace] : []) },
    ],
  });
  return { run: (signal) => controller.run(signal) };
}
