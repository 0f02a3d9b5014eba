/**
 * One representative object per kind a typed client may send, in its JSON form (without
 * apiVersion and kind), keyed "<apiVersion> <kind>". Every value is one the decoder keeps: no
 * "" and no empty lists or maps (Go omitempty drops them), 0 and false only in fields that are
 * pointers in Go (replicas, revisionHistoryLimit, optional, immutable, …), times in whole seconds
 * (Time) or microseconds (MicroTime), bytes as base64.
 */
import { MORE_KINDS_SAMPLES } from './more-kinds-samples.js';
import { STATEFUL_SAMPLES } from './stateful-samples.js';

type Plain = Record<string, unknown>;

const meta = (name: string, namespace?: string): Plain => ({
  name, ...(namespace ? { namespace } : {}), generateName: `${name}-`, uid: '6f1c3f0e-0000-4000-8000-000000000001',
  resourceVersion: '42', generation: 3, creationTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 30,
  labels: { app: name }, annotations: { note: 'x' }, finalizers: ['example.com/f'],
  ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true }],
  managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-01-01T00:00:01Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
});

const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] };
const ref = { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u2', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' };
const time = '2024-02-03T04:05:06Z';
const micro = '2024-02-03T04:05:06.123456Z';

const podSpec: Plain = {
  volumes: [
    { name: 'cfg', configMap: { name: 'c', items: [{ key: 'k', path: 'p', mode: 256 }], defaultMode: 420, optional: false } },
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
  ],
  containers: [{
    name: 'c', image: 'tinykube/web:1', command: ['serve'], args: ['--port', '80'], imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
    env: [{ name: 'A', value: 'b' }, { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }],
    resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
    volumeMounts: [{ name: 'cfg', mountPath: '/etc/c', readOnly: true }],
    livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3 },
    readinessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 1 },
    securityContext: { runAsUser: 1000, capabilities: { drop: ['ALL'] } },
  }],
  restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', nodeSelector: { disk: 'ssd' },
  serviceAccountName: 'sa', tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
};
const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };
const condition = (type: string): Plain => ({ type, status: 'True', lastTransitionTime: time, reason: 'R', message: 'm' });
const userInfo = { username: 'jane', uid: 'u3', groups: ['g1', 'system:authenticated'], extra: { scopes: ['a', 'b'] } };
const resourceAttributes = {
  namespace: 'ns', verb: 'get', group: 'apps', version: 'v1', resource: 'deployments', subresource: 'scale', name: 'web',
  fieldSelector: { rawSelector: 'metadata.name=web', requirements: [{ key: 'metadata.name', operator: 'In', values: ['web'] }] },
  labelSelector: { rawSelector: 'app=web', requirements: [{ key: 'app', operator: 'In', values: ['web'] }] },
};
const deleteOptions = { gracePeriodSeconds: 5, preconditions: { uid: 'u4', resourceVersion: '9' }, propagationPolicy: 'Background', dryRun: ['All'] };

const containerStatus = {
  name: 'c', ready: true, restartCount: 2, image: 'tinykube/web:1', imageID: 'docker://sha256:ab', containerID: 'docker://c1', started: true,
  state: { running: { startedAt: time } },
  lastState: { terminated: { exitCode: 137, signal: 9, reason: 'OOMKilled', message: 'm', startedAt: time, finishedAt: time, containerID: 'docker://c0' } },
};

export const SAMPLES: Readonly<Record<string, Plain>> = {
  'v1 Pod': {
    metadata: meta('p', 'ns'), spec: { ...podSpec, nodeName: 'n1' },
    status: {
      phase: 'Running', conditions: [{ ...condition('Ready'), lastProbeTime: time }], hostIP: '10.0.0.1', podIP: '10.1.0.5',
      podIPs: [{ ip: '10.1.0.5' }], startTime: time, qosClass: 'Burstable', containerStatuses: [containerStatus],
      initContainerStatuses: [{ name: 'init', restartCount: 1, image: 'busybox', imageID: 'i', state: { waiting: { reason: 'PodInitializing' } } }],
    },
  },
  'v1 Service': {
    metadata: meta('svc', 'ns'),
    spec: { type: 'NodePort', selector: { app: 'web' }, clusterIP: '10.96.0.10', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }], sessionAffinity: 'None' },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
  },
  'v1 ReplicationController': {
    metadata: meta('rc', 'ns'), spec: { replicas: 3, minReadySeconds: 2, selector: { app: 'web' }, template },
    status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 3, conditions: [condition('ReplicaFailure')] },
  },
  'v1 Namespace': { metadata: meta('dev'), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active', conditions: [condition('NamespaceDeletionContentFailure')] } },
  'v1 Node': {
    metadata: meta('n1'),
    spec: { podCIDR: '10.1.0.0/24', podCIDRs: ['10.1.0.0/24'], providerID: 'tinykube://n1', unschedulable: true, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule', timeAdded: time }] },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '3800m' }, phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: time, lastTransitionTime: time, reason: 'KubeletReady', message: 'ok' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1', osImage: 'Debian', containerRuntimeVersion: 'docker://24', kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64' },
      images: [{ names: ['busybox:1'], sizeBytes: 4261574 }], volumesInUse: ['v'], volumesAttached: [{ name: 'v', devicePath: '/dev/x' }],
      runtimeHandlers: [{ name: 'runc', features: { recursiveReadOnlyMounts: true, userNamespaces: true } }],
    },
  },
  'v1 Endpoints': {
    metadata: meta('svc', 'ns'),
    subsets: [{
      addresses: [{ ip: '10.1.0.5', hostname: 'h', nodeName: 'n1', targetRef: ref }], notReadyAddresses: [{ ip: '10.1.0.6' }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }],
    }],
  },
  'v1 Event': {
    metadata: meta('p.17a', 'ns'), involvedObject: ref, reason: 'Started', message: 'Started container c', source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: time, lastTimestamp: time, count: 4, type: 'Normal', eventTime: micro, series: { count: 2, lastObservedTime: micro },
    action: 'Start', related: ref, reportingComponent: 'kubelet', reportingInstance: 'n1',
  },
  'v1 ConfigMap': { metadata: meta('c', 'ns'), data: { a: 'b' }, binaryData: { bin: Buffer.from([0, 1, 2, 255]).toString('base64') }, immutable: true },
  'v1 Secret': { metadata: meta('s', 'ns'), data: { p: Buffer.from('q').toString('base64') }, stringData: { x: 'y' }, type: 'Opaque', immutable: false },
  'v1 ServiceAccount': {
    metadata: meta('sa', 'ns'), secrets: [{ name: 'sa-token', namespace: 'ns' }], imagePullSecrets: [{ name: 'regcred' }], automountServiceAccountToken: false,
  },
  'v1 ResourceQuota': {
    metadata: meta('q', 'ns'),
    spec: { hard: { pods: '5', 'requests.cpu': '1' }, scopes: ['NotTerminating'], scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } },
    status: { hard: { pods: '5' }, used: { pods: '1' } },
  },
  'v1 LimitRange': {
    metadata: meta('l', 'ns'),
    spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '50m' }, default: { memory: '500Mi' }, defaultRequest: { memory: '200Mi' }, maxLimitRequestRatio: { cpu: '4' } }] },
  },
  'v1 Binding': { metadata: meta('p', 'ns'), target: { kind: 'Node', name: 'n1', apiVersion: 'v1' } },
  'apps/v1 Deployment': {
    metadata: meta('web', 'ns'),
    spec: { replicas: 3, selector, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } }, minReadySeconds: 1, revisionHistoryLimit: 0, paused: true, progressDeadlineSeconds: 600 },
    status: { observedGeneration: 3, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [{ ...condition('Available'), lastUpdateTime: time }] },
  },
  'apps/v1 ReplicaSet': {
    metadata: meta('web-1', 'ns'), spec: { replicas: 0, minReadySeconds: 4, selector, template },
    status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1, conditions: [condition('ReplicaFailure')] },
  },
  'apps/v1 DaemonSet': {
    metadata: meta('ds', 'ns'),
    spec: { selector, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '0%' } }, minReadySeconds: 5, revisionHistoryLimit: 10 },
    status: {
      currentNumberScheduled: 2, numberMisscheduled: 1, desiredNumberScheduled: 2, numberReady: 1, observedGeneration: 3,
      updatedNumberScheduled: 2, numberAvailable: 1, numberUnavailable: 1, collisionCount: 0, conditions: [condition('X')],
    },
  },
  'batch/v1 Job': {
    metadata: meta('j', 'ns'),
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, activeDeadlineSeconds: 600, template: { metadata: { labels: { job: 'j' } }, spec: { ...podSpec, restartPolicy: 'Never' } } },
    status: { conditions: [{ ...condition('Complete'), lastProbeTime: time }], startTime: time, completionTime: time, succeeded: 1, active: 2, ready: 0 },
  },
  'batch/v1 CronJob': {
    metadata: meta('cj', 'ns'),
    spec: { schedule: '*/1 * * * *', concurrencyPolicy: 'Forbid', suspend: false, startingDeadlineSeconds: 30, jobTemplate: { metadata: { name: 'cj' }, spec: { template: { spec: { ...podSpec, restartPolicy: 'OnFailure' } } } } },
    status: { active: [ref], lastScheduleTime: time, lastSuccessfulTime: time },
  },
  'coordination.k8s.io/v1 Lease': {
    metadata: meta('n1', 'kube-node-lease'),
    spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, acquireTime: micro, renewTime: '2024-02-03T04:05:07.000001Z', leaseTransitions: 1 },
  },
  'discovery.k8s.io/v1 EndpointSlice': {
    metadata: meta('svc-abc', 'ns'), addressType: 'IPv4',
    endpoints: [{ addresses: ['10.1.0.5'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'h', targetRef: ref, nodeName: 'n1', zone: 'z', hints: { forZones: [{ name: 'z' }] } }],
    ports: [{ name: 'http', protocol: 'TCP', port: 8080, appProtocol: 'http' }],
  },
  'certificates.k8s.io/v1 CertificateSigningRequest': {
    metadata: meta('csr'),
    spec: { request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----').toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 3600, usages: ['client auth'], username: 'admin', uid: 'u5', groups: ['system:masters'], extra: { k: ['v'] } },
    status: { conditions: [{ type: 'Approved', status: 'True', reason: 'R', message: 'm', lastUpdateTime: time, lastTransitionTime: time }], certificate: Buffer.from('CERT').toString('base64') },
  },
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': {
    metadata: meta('crb'), subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }, { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  },
  'rbac.authorization.k8s.io/v1 ClusterRole': {
    metadata: meta('view'), rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-view': 'true' } }] },
  },
  'rbac.authorization.k8s.io/v1 RoleBinding': {
    metadata: meta('rb', 'ns'), subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
  },
  'rbac.authorization.k8s.io/v1 Role': { metadata: meta('r', 'ns'), rules: [{ verbs: ['*'], apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'] }] },
  'authentication.k8s.io/v1 TokenReview': {
    metadata: meta('tr'), spec: { token: 'eyJhbGciOi', audiences: ['https://kubernetes.default.svc'] },
    status: { authenticated: true, user: userInfo, audiences: ['api'], error: 'e' },
  },
  'authentication.k8s.io/v1 SelfSubjectReview': { metadata: meta('ssr'), status: { userInfo } },
  'authentication.k8s.io/v1 TokenRequest': {
    metadata: meta('sa', 'ns'), spec: { audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u6' } },
    status: { token: 'eyJ', expirationTimestamp: time },
  },
  'authorization.k8s.io/v1 LocalSubjectAccessReview': {
    metadata: meta('lsar', 'ns'), spec: { resourceAttributes, user: 'jane', groups: ['g'], extra: { scopes: ['s'] }, uid: 'u7' },
    status: { denied: true, reason: 'no', evaluationError: 'e' },
  },
  'authorization.k8s.io/v1 SelfSubjectAccessReview': {
    metadata: meta('ssar'), spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } }, status: { allowed: true, reason: 'RBAC' },
  },
  'authorization.k8s.io/v1 SelfSubjectRulesReview': {
    metadata: meta('ssrr'), spec: { namespace: 'ns' },
    status: { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }], incomplete: true, evaluationError: 'e' },
  },
  'authorization.k8s.io/v1 SubjectAccessReview': {
    metadata: meta('sar'), spec: { resourceAttributes, user: 'system:serviceaccount:ns:sa', groups: ['system:serviceaccounts'], extra: { k: ['v1', 'v2'] }, uid: 'u8' },
    status: { allowed: true },
  },
  'autoscaling/v1 Scale': { metadata: meta('web', 'ns'), spec: { replicas: 5 }, status: { replicas: 3, selector: 'app=web' } },
  'policy/v1 Eviction': { metadata: meta('p', 'ns'), deleteOptions },
  'policy/v1beta1 Eviction': { metadata: meta('p', 'ns'), deleteOptions: { ...deleteOptions, orphanDependents: false } },
  ...MORE_KINDS_SAMPLES,
  ...STATEFUL_SAMPLES,
};

/** DeleteOptions as every group-version's DELETE (and deletecollection) body carries it. */
export const DELETE_OPTIONS_SAMPLE: Plain = deleteOptions;
