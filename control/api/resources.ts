/**
 * The resources tinykube serves: one descriptor each. Discovery, OpenAPI, routing, storage keys and
 * Table printing are all derived from this table; order here is discovery order (kubectl `get all`
 * follows it).
 */

export interface ResourceInfo {
  group: string;            // '' for core
  version: string;
  kind: string;
  listKind: string;
  resource: string;         // plural, lowercase
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served, with the kind they speak (group/version when different). */
  subresources?: Array<{ name: string; kind: string; group?: string; version?: string; verbs: string[] }>;
  verbs?: string[];
  /** The storage key segment when it is not the resource: custom resources keep `<group>/<plural>` (upstream's CR keys). */
  storageName?: string;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const statusSub = (kind: string) => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
const scaleSub = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
/** upstream's connect verbs of pods/proxy, services/proxy, nodes/proxy. */
const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'];

function r(group: string, version: string, kind: string, resource: string, namespaced: boolean,
  extra: Partial<ResourceInfo> = {}): ResourceInfo {
  return { group, version, kind, listKind: `${kind}List`, resource, singular: kind.toLowerCase(), namespaced, verbs: CRUD, ...extra };
}

/** A kind that is created and answered at once, never stored (TokenReview, SubjectAccessReview, …). */
const review = (group: string, kind: string, resource: string, namespaced: boolean): ResourceInfo =>
  r(group, 'v1', kind, resource, namespaced, { verbs: ['create'] });

export const RESOURCES: readonly ResourceInfo[] = [
  r('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'], categories: ['all'], subresources: [
      statusSub('Pod'),
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'proxy', kind: 'PodProxyOptions', verbs: PROXY_VERBS },
    ],
  }),
  r('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], categories: ['all'], subresources: [statusSub('Service'), { name: 'proxy', kind: 'ServiceProxyOptions', verbs: PROXY_VERBS }] }),
  r('', 'v1', 'ReplicationController', 'replicationcontrollers', true, {
    shortNames: ['rc'], categories: ['all'], subresources: [statusSub('ReplicationController'), scaleSub],
  }),
  r('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'], subresources: [statusSub('Namespace')],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  r('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: [statusSub('Node'), { name: 'proxy', kind: 'NodeProxyOptions', verbs: PROXY_VERBS }] }),
  r('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  r('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  r('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  r('', 'v1', 'Secret', 'secrets', true),
  r('', 'v1', 'PodTemplate', 'podtemplates', true),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', true, {
    shortNames: ['sa'], subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
  }),
  r('', 'v1', 'ResourceQuota', 'resourcequotas', true, { shortNames: ['quota'], subresources: [statusSub('ResourceQuota')] }),
  r('', 'v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  r('', 'v1', 'PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'], subresources: [statusSub('PersistentVolume')] }),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'], subresources: [statusSub('PersistentVolumeClaim')] }),
  r('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'], categories: ['all'], subresources: [statusSub('Deployment'), scaleSub],
  }),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'], categories: ['all'], subresources: [statusSub('ReplicaSet'), scaleSub],
  }),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'], categories: ['all'], subresources: [statusSub('StatefulSet'), scaleSub],
  }),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ['all'], subresources: [statusSub('DaemonSet')] }),
  r('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
  r('batch', 'v1', 'Job', 'jobs', true, { categories: ['all'], subresources: [statusSub('Job')] }),
  r('batch', 'v1', 'CronJob', 'cronjobs', true, { shortNames: ['cj'], categories: ['all'], subresources: [statusSub('CronJob')] }),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'], subresources: [statusSub('PodDisruptionBudget')] }),
  r('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  r('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', false, {
    shortNames: ['csr'], subresources: [
      { name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] },
      statusSub('CertificateSigningRequest'),
    ],
  }),
  r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { shortNames: ['ing'], subresources: [statusSub('Ingress')] }),
  r('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  r('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses', false),
  /** The core Events seen through events.k8s.io (control/api/conversion/events.ts); same storage. */
  r('events.k8s.io', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: [statusSub('CustomResourceDefinition')],
    storageName: 'apiextensions.k8s.io/customresourcedefinitions',
  }),
  r('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, { categories: ['api-extensions'] }),
  r('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, { categories: ['api-extensions'] }),
  review('authentication.k8s.io', 'TokenReview', 'tokenreviews', false),
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews', false),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false),
  review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews', false),
];

/** Whether a resource is only ever created and answered, never stored (the review kinds). */
export const isCreateOnly = (ri: ResourceInfo): boolean => ri.verbs?.length === 1 && ri.verbs[0] === 'create';

export const groupVersion = (ri: { group: string; version: string }): string => (ri.group ? `${ri.group}/${ri.version}` : ri.version);

/** The resource for a group + plural name, or undefined. */
export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.group === group && x.version === version && x.resource === resource);
}

export function findByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => groupVersion(x) === apiVersion && x.kind === kind);
}

/** Storage key, as in Kubernetes: /registry/<resource>/<ns>/<name>, cluster-scoped without the ns segment. */
export function storageKey(ri: ResourceInfo, namespace: string | undefined, name: string): string {
  return ri.namespaced ? `/registry/${storagePrefixName(ri)}/${namespace}/${name}` : `/registry/${storagePrefixName(ri)}/${name}`;
}

/** Prefix for a collection (optionally one namespace), ending in '/'. */
export function storagePrefix(ri: ResourceInfo, namespace?: string): string {
  return ri.namespaced && namespace ? `/registry/${storagePrefixName(ri)}/${namespace}/` : `/registry/${storagePrefixName(ri)}/`;
}

/** Upstream keeps some resources under other names (services/specs, apps resources by plural, …). */
function storagePrefixName(ri: ResourceInfo): string {
  if (ri.storageName) return ri.storageName;
  if (ri.resource === 'services') return 'services/specs';
  if (ri.resource === 'endpoints') return 'services/endpoints';
  if (ri.resource === 'nodes') return 'minions';
  if (ri.resource === 'replicationcontrollers') return 'controllers';
  return ri.resource;
}

/** The resource, namespace and name a storage key belongs to (the inverse of storageKey). */
export function parseStorageKey(key: string): { ri: ResourceInfo; namespace?: string; name: string } | undefined {
  for (const ri of RESOURCES) {
    const prefix = storagePrefix(ri);
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length).split('/');
    if (ri.namespaced && rest.length === 2) return { ri, namespace: rest[0], name: rest[1] ?? '' };
    if (!ri.namespaced && rest.length === 1) return { ri, name: rest[0] ?? '' };
  }
  return undefined;
}
