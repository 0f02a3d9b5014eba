/**
 * What a fresh control plane creates (upstream's bootstrap controller): the default namespaces and
 * the `kubernetes` Service at the first service IP with Endpoints / EndpointSlice pointing at the
 * API server. Idempotent: existing objects are left as they are, the endpoints follow the address.
 * An API server internal (upstream pkg/controlplane/controller): it writes through the handler.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { ANN_DEFAULT_CLASS, LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER } from '../../api/storage-names.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';

export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface BootstrapOptions {
  handler: ResourceHandler;
  log: Logger;
  /** The first address of the service CIDR. */
  kubernetesServiceIP: string;
  /** The tenth: the cluster DNS, answered by every node's agent on the node itself. */
  dnsServiceIP: string;
  advertiseAddress: string;
  port: number;
}

const scopeOf = (ri: ResourceInfo, namespace?: string, name?: string): Scope =>
  ({ ri, namespace, name, dryRun: false, fieldValidation: 'Ignore', warnings: [] });

async function ensure(h: ResourceHandler, ri: ResourceInfo, obj: KubeObject): Promise<void> {
  if (await h.objects.tryGet(ri, obj.metadata?.namespace, obj.metadata?.name ?? '')) return;
  try {
    await h.create(scopeOf(ri, obj.metadata?.namespace), obj);
  } catch (err) {
    if (!(isApiError(err) && err.reason === 'AlreadyExists')) throw err;
  }
}

export async function bootstrapCluster(o: BootstrapOptions): Promise<void> {
  const h = o.handler;
  const nsRi = findResource('', 'v1', 'namespaces')!;
  for (const name of DEFAULT_NAMESPACES) await ensure(h, nsRi, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await ensure(h, findResource('', 'v1', 'services')!, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP: o.kubernetesServiceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }], sessionAffinity: 'None' },
  });

  // kube-dns has no selector: each node's agent answers at this address itself (agent/dns)
  await ensure(h, findResource('', 'v1', 'services')!, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } },
    spec: { type: 'ClusterIP', clusterIP: o.dnsServiceIP, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }] },
  });
  // the built-in local-path provisioner's class, the default as in k3s (control/controllers/persistentvolume)
  await ensure(h, findResource('storage.k8s.io', 'v1', 'storageclasses')!, {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
  });
  if (o.advertiseAddress.startsWith('127.')) {
    // Endpoints may not hold loopback addresses (upstream refuses them too): no endpoints then
    o.log.warn({ advertiseAddress: o.advertiseAddress }, 'Advertise address is loopback; the kubernetes service has no endpoints');
    return;
  }
  const epRi = findResource('', 'v1', 'endpoints')!;
  const subsets = [{ addresses: [{ ip: o.advertiseAddress }], ports: [{ name: 'https', port: o.port, protocol: 'TCP' }] }];
  await ensure(h, epRi, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets });
  await h.update(scopeOf(epRi, 'default', 'kubernetes'), (cur) => ({ ...cur, subsets }));

  const esRi = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
  const slice = {
    addressType: 'IPv4',
    endpoints: [{ addresses: [o.advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port: o.port, protocol: 'TCP' }],
  };
  await ensure(h, esRi, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, ...slice });
  await h.update(scopeOf(esRi, 'default', 'kubernetes'), (cur) => ({ ...cur, ...slice }));
  o.log.debug('Bootstrapped default namespaces and the kubernetes service');
}
