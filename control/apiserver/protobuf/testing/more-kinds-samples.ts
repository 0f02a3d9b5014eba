/**
 * Samples (see samples.ts for the rules they follow) for PodTemplate, networking.k8s.io/v1 Ingress
 * and IngressClass, node.k8s.io/v1 RuntimeClass and events.k8s.io/v1 Event.
 */
type Plain = Record<string, unknown>;

const meta = (name: string, namespace?: string): Plain => ({
  name, ...(namespace ? { namespace } : {}), uid: '6f1c3f0e-0000-4000-8000-000000000002', resourceVersion: '43',
  creationTimestamp: '2024-01-01T00:00:00Z', labels: { app: name }, annotations: { note: 'y' },
});
const ref = { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u2', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' };
const time = '2024-02-03T04:05:06Z';
const micro = '2024-02-03T04:05:06.123456Z';
const backend = { service: { name: 'web', port: { number: 80 } } };

export const MORE_KINDS_SAMPLES: Readonly<Record<string, Plain>> = {
  'v1 PodTemplate': {
    metadata: meta('tpl', 'ns'),
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'tinykube/web:1', ports: [{ containerPort: 80, protocol: 'TCP' }] }], restartPolicy: 'Always' },
    },
  },
  'networking.k8s.io/v1 Ingress': {
    metadata: meta('ing', 'ns'),
    spec: {
      ingressClassName: 'nginx', defaultBackend: backend, tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
      rules: [
        { host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } },
        { http: { paths: [{ path: '/r', pathType: 'Exact', backend: { resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'b' } } }] } },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '169.1.1.1', hostname: 'lb', ports: [{ port: 80, protocol: 'TCP', error: 'e' }] }] } },
  },
  'networking.k8s.io/v1 IngressClass': {
    metadata: meta('ic'),
    spec: { controller: 'example.com/controller', parameters: { apiGroup: 'example.com', kind: 'fookind', name: 'fooname', scope: 'Namespace', namespace: 'foo-ns' } },
  },
  'node.k8s.io/v1 RuntimeClass': {
    metadata: meta('rc'), handler: 'runc', overhead: { podFixed: { cpu: '250m', memory: '64Mi' } },
    scheduling: { nodeSelector: { sandbox: 'true' }, tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }] },
  },
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration': {
    metadata: meta('vwc'), webhooks: [{
      name: 'deny.example.com', clientConfig: { service: { namespace: 'ns', name: 'svc', path: '/v', port: 8443 }, caBundle: 'Y2E=' },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/attach'], scope: 'Namespaced' }],
      failurePolicy: 'Fail', matchPolicy: 'Equivalent', namespaceSelector: { matchLabels: { a: 'b' } }, objectSelector: { matchLabels: { c: 'd' } },
      sideEffects: 'None', timeoutSeconds: 5, admissionReviewVersions: ['v1', 'v1beta1'], matchConditions: [{ name: 'm', expression: 'true' }],
    }],
  },
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration': {
    metadata: meta('mwc'), webhooks: [{
      name: 'mutate.example.com', clientConfig: { url: 'https://127.0.0.1:8443/m' },
      rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] }],
      failurePolicy: 'Ignore', sideEffects: 'NoneOnDryRun', timeoutSeconds: 30, admissionReviewVersions: ['v1'], reinvocationPolicy: 'IfNeeded',
    }],
  },
  'events.k8s.io/v1 Event': {
    metadata: meta('ev', 'ns'), eventTime: micro, series: { count: 2, lastObservedTime: micro }, reportingController: 'test-controller',
    reportingInstance: 'test-node', action: 'Do', reason: 'Test', regarding: ref, related: ref, note: 'This is a note', type: 'Normal',
    deprecatedSource: { component: 'kubelet', host: 'n1' }, deprecatedFirstTimestamp: time, deprecatedLastTimestamp: time, deprecatedCount: 3,
  },
};
