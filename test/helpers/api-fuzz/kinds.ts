/**
 * The kinds the API fuzzer writes: where each lives, a valid object of it to mutate, and which
 * write subresources it serves. Namespaced kinds live in FUZZ_NAMESPACE, except the two that
 * would refuse every later pod (quotas, limit ranges), which get a namespace of their own.
 */
export type Plain = Record<string, unknown>;
export type WriteSubresource = 'status' | 'scale' | 'binding' | 'eviction' | 'token';

export const FUZZ_NAMESPACE = 'tk-fuzz';
export const LIMITS_NAMESPACE = 'tk-fuzz-limits';

export interface FuzzKind {
  /** The plural resource name. */
  resource: string;
  apiVersion: string;
  kind: string;
  /** Undefined for cluster-scoped kinds. */
  namespace?: string;
  /** A valid object of this kind named `name`. */
  valid(name: string): Plain;
  subresources: readonly WriteSubresource[];
  /** Answered at once and never stored (the reviews): only created. */
  createOnly?: boolean;
}

export function collectionPath(k: FuzzKind): string {
  const base = k.apiVersion.includes('/') ? `/apis/${k.apiVersion}` : `/api/${k.apiVersion}`;
  return k.namespace ? `${base}/namespaces/${k.namespace}/${k.resource}` : `${base}/${k.resource}`;
}

const container = (name = 'c'): Plain => ({
  name, image: 'tinykube/web:1', imagePullPolicy: 'IfNotPresent', command: ['httpd', '-f'], args: ['-p', '80'],
  ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
  readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 }, volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: true }],
  securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] } },
});
/** Pods nobody schedules: the scheduler leaves another scheduler's pods alone. */
const podSpec = (): Plain => ({
  schedulerName: 'tk-fuzz-nobody', restartPolicy: 'Always', terminationGracePeriodSeconds: 5, containers: [container()],
  initContainers: [{ name: 'init', image: 'tinykube/busybox:1', command: ['true'] }],
  volumes: [{ name: 'cfg', configMap: { name: 'cfg', optional: true } }, { name: 'tmp', emptyDir: { sizeLimit: '10Mi' } }],
  tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }], nodeSelector: { disk: 'ssd' },
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
  dnsPolicy: 'ClusterFirst', hostname: 'h', subdomain: 's',
});
const template = (app: string): Plain => ({ metadata: { labels: { app } }, spec: podSpec() });
const meta = (name: string, ns?: string, extra: Plain = {}): Plain =>
  ({ name, ...(ns ? { namespace: ns } : {}), labels: { fuzz: 'yes', app: name.slice(0, 63) }, annotations: { note: 'fuzz seed' }, ...extra });

function kind(resource: string, apiVersion: string, k: string, namespace: string | undefined, body: (name: string) => Plain,
  subresources: readonly WriteSubresource[] = [], createOnly = false): FuzzKind {
  return { resource, apiVersion, kind: k, namespace, subresources, createOnly,
    valid: (name) => ({ apiVersion, kind: k, metadata: meta(name, namespace), ...body(name) }) };
}

const NS = FUZZ_NAMESPACE;
const rule = { apiGroups: ['', 'apps'], resources: ['pods', 'deployments'], verbs: ['get', 'list', 'watch'] };
const subject = { kind: 'ServiceAccount', name: 'default', namespace: NS };

export const FUZZ_KINDS: readonly FuzzKind[] = [
  kind('pods', 'v1', 'Pod', NS, () => ({ spec: podSpec() }), ['status', 'binding', 'eviction']),
  kind('services', 'v1', 'Service', NS, (n) => ({ spec: { type: 'NodePort', selector: { app: n }, sessionAffinity: 'None',
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' }] } }), ['status']),
  kind('replicationcontrollers', 'v1', 'ReplicationController', NS, (n) => ({ spec: { replicas: 0, selector: { app: n }, template: template(n) } }), ['status', 'scale']),
  kind('namespaces', 'v1', 'Namespace', undefined, () => ({ spec: { finalizers: ['kubernetes'] } }), ['status']),
  kind('nodes', 'v1', 'Node', undefined, () => ({ spec: { unschedulable: true, podCIDR: '10.250.1.0/24', taints: [{ key: 'fuzz', value: 'x', effect: 'NoSchedule' }] } }), ['status']),
  kind('endpoints', 'v1', 'Endpoints', NS, () => ({ subsets: [{ addresses: [{ ip: '10.244.9.9' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }] })),
  kind('events', 'v1', 'Event', NS, (n) => ({ involvedObject: { kind: 'Pod', namespace: NS, name: n, apiVersion: 'v1' }, reason: 'Fuzzed', message: 'm', type: 'Normal', count: 1,
    firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:00:00Z', source: { component: 'fuzz' } })),
  kind('configmaps', 'v1', 'ConfigMap', NS, () => ({ data: { 'a.conf': 'x=1\n', b: '' }, binaryData: { bin: 'AAEC' } })),
  kind('secrets', 'v1', 'Secret', NS, () => ({ type: 'Opaque', data: { password: 'c2VjcmV0' }, stringData: { user: 'u' } })),
  kind('podtemplates', 'v1', 'PodTemplate', NS, (n) => ({ template: template(n) })),
  kind('serviceaccounts', 'v1', 'ServiceAccount', NS, () => ({ automountServiceAccountToken: false, secrets: [{ name: 's' }], imagePullSecrets: [{ name: 'p' }] }), ['token']),
  kind('resourcequotas', 'v1', 'ResourceQuota', LIMITS_NAMESPACE, () => ({ spec: { hard: { pods: '100', 'requests.cpu': '4', 'requests.memory': '8Gi' } } }), ['status']),
  kind('limitranges', 'v1', 'LimitRange', LIMITS_NAMESPACE, () => ({ spec: { limits: [{ type: 'Container', default: { cpu: '200m' }, defaultRequest: { cpu: '100m' }, max: { memory: '1Gi' } }] } })),
  kind('deployments', 'apps/v1', 'Deployment', NS, (n) => ({ spec: { replicas: 0, selector: { matchLabels: { app: n } }, template: template(n),
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } }, revisionHistoryLimit: 2, progressDeadlineSeconds: 600 } }), ['status', 'scale']),
  kind('replicasets', 'apps/v1', 'ReplicaSet', NS, (n) => ({ spec: { replicas: 0, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [n] }] }, template: template(n) } }), ['status', 'scale']),
  kind('daemonsets', 'apps/v1', 'DaemonSet', NS, (n) => ({ spec: { selector: { matchLabels: { app: n } }, template: { ...template(n), spec: { ...podSpec(), nodeSelector: { 'tk-fuzz/none': 'x' } } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } } }), ['status']),
  kind('jobs', 'batch/v1', 'Job', NS, () => ({ spec: { suspend: true, parallelism: 1, completions: 1, backoffLimit: 2, activeDeadlineSeconds: 3600,
    template: { spec: { ...podSpec(), restartPolicy: 'Never' } } } }), ['status']),
  kind('cronjobs', 'batch/v1', 'CronJob', NS, () => ({ spec: { schedule: '0 0 1 1 *', suspend: true, concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC',
    jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: 'OnFailure' } } } } } }), ['status']),
  kind('leases', 'coordination.k8s.io/v1', 'Lease', NS, () => ({ spec: { holderIdentity: 'h', leaseDurationSeconds: 15, renewTime: '2024-01-01T00:00:00.000000Z' } })),
  kind('endpointslices', 'discovery.k8s.io/v1', 'EndpointSlice', NS, () => ({ addressType: 'IPv4', endpoints: [{ addresses: ['10.244.9.9'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })),
  kind('ingresses', 'networking.k8s.io/v1', 'Ingress', NS, (n) => ({ spec: { ingressClassName: 'c', tls: [{ hosts: ['a.example.com'], secretName: 's' }],
    rules: [{ host: 'a.example.com', http: { paths: [{ path: '/x', pathType: 'Prefix', backend: { service: { name: n, port: { number: 80 } } } }] } }] } }), ['status']),
  kind('ingressclasses', 'networking.k8s.io/v1', 'IngressClass', undefined, () => ({ spec: { controller: 'example.com/ingress' } })),
  kind('runtimeclasses', 'node.k8s.io/v1', 'RuntimeClass', undefined, () => ({ handler: 'runc', overhead: { podFixed: { cpu: '10m' } } })),
  kind('clusterroles', 'rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, () => ({ rules: [rule, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] })),
  kind('clusterrolebindings', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', undefined, () => ({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [subject] })),
  kind('roles', 'rbac.authorization.k8s.io/v1', 'Role', NS, () => ({ rules: [rule] })),
  kind('rolebindings', 'rbac.authorization.k8s.io/v1', 'RoleBinding', NS, () => ({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [subject, { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }] })),
  kind('selfsubjectaccessreviews', 'authorization.k8s.io/v1', 'SelfSubjectAccessReview', undefined, () => ({ spec: { resourceAttributes: { namespace: NS, verb: 'get', resource: 'pods' } } }), [], true),
  kind('subjectaccessreviews', 'authorization.k8s.io/v1', 'SubjectAccessReview', undefined, () => ({ spec: { user: 'jane', groups: ['g'], nonResourceAttributes: { path: '/x', verb: 'get' } } }), [], true),
  kind('tokenreviews', 'authentication.k8s.io/v1', 'TokenReview', undefined, () => ({ spec: { token: 'abc.def', audiences: ['x'] } }), [], true),
];
