import { describe, expect, it } from 'vitest';
import { applyDefaults } from './apply-defaults.js';
import { computeQOSClass, defaultPullPolicy } from './pod.js';
import { applyJobSelector } from './workloads.js';

type O = Record<string, unknown>;
const defaulted = (kind: string, obj: O): O => {
  const o = structuredClone(obj);
  applyDefaults(kind, o);
  return o;
};

describe('Pod defaults', () => {
  it('fills spec, containers, probes, volumes and create-time status', () => {
    const pod = defaulted('Pod', {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        containers: [{
          name: 'web', image: 'nginx', ports: [{ containerPort: 80 }],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          livenessProbe: { httpGet: { port: 80 } },
        }],
        volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'cfg' } }],
      },
    });
    expect(pod['spec']).toEqual({
      containers: [{
        name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }],
        livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always', resources: {},
      }],
      volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } }],
      enableServiceLinks: true, restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30,
      securityContext: {}, schedulerName: 'default-scheduler', priority: 0, preemptionPolicy: 'PreemptLowerPriority',
    });
    expect(pod['status']).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('copies limits into missing requests and computes Guaranteed', () => {
    const pod = defaulted('Pod', {
      metadata: { name: 'g' }, spec: { containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] },
    });
    const c = (pod['spec'] as { containers: O[] }).containers[0];
    expect(c?.['resources']).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
    expect((pod['status'] as O)['qosClass']).toBe('Guaranteed');
  });

  it.each<[string, O[], string]>([
    ['no resources', [{}], 'BestEffort'],
    ['requests only', [{ requests: { cpu: '100m' } }], 'Burstable'],
    ['equal cpu+mem', [{ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } }], 'Guaranteed'],
    ['cpu limit only', [{ limits: { cpu: '1' }, requests: { cpu: '1' } }], 'Burstable'],
    ['one of two best-effort', [{ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, {}], 'Burstable'],
  ])('QoS %s', (_n, resources, want) => {
    expect(computeQOSClass({ containers: resources.map((r, i) => ({ name: `c${i}`, resources: r })) })).toBe(want);
  });

  it.each([
    ['nginx', 'Always'], ['nginx:latest', 'Always'], ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'], ['localhost:5000/app:v1', 'IfNotPresent'], ['nginx@sha256:abc', 'IfNotPresent'],
  ])('imagePullPolicy for %s is %s', (image, want) => {
    expect(defaultPullPolicy(image)).toBe(want);
  });
});

describe('workload defaults', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } };

  it('Deployment', () => {
    const d = defaulted('Deployment', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } });
    const spec = d['spec'] as O;
    expect(spec['replicas']).toBe(1);
    expect(spec['strategy']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(spec['revisionHistoryLimit']).toBe(10);
    expect(spec['progressDeadlineSeconds']).toBe(600);
    const tspec = (spec['template'] as O)['spec'] as O;
    expect(tspec['restartPolicy']).toBe('Always');
    expect(tspec['enableServiceLinks']).toBeUndefined();
  });

  it('DaemonSet', () => {
    const ds = defaulted('DaemonSet', { metadata: { name: 'agent' }, spec: { template } });
    expect((ds['spec'] as O)['updateStrategy']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });

  it('ReplicationController takes selector and labels from the template', () => {
    const rc = defaulted('ReplicationController', { metadata: { name: 'rc' }, spec: { template } });
    expect((rc['spec'] as O)['selector']).toEqual({ app: 'web' });
    expect((rc['metadata'] as O)['labels']).toEqual({ app: 'web' });
    expect((rc['spec'] as O)['replicas']).toBe(1);
  });

  it('Job and its generated selector', () => {
    const job = defaulted('Job', { metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } });
    applyJobSelector(job, 'u-1');
    const spec = job['spec'] as O;
    expect(spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(spec['selector']).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    const labels = { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi' };
    expect(((spec['template'] as O)['metadata'] as O)['labels']).toEqual(labels);
    expect((job['metadata'] as O)['labels']).toEqual(labels);
  });

  it('Job with manualSelector keeps the user selector', () => {
    const job = { metadata: { name: 'm' }, spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } } } };
    applyJobSelector(job, 'u');
    expect(job.spec.selector).toEqual({ matchLabels: { a: 'b' } });
  });

  it('CronJob', () => {
    const cj = defaulted('CronJob', { metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } });
    expect(cj['spec']).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  });
});

describe('core defaults', () => {
  it('Service ClusterIP', () => {
    const s = defaulted('Service', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    expect(s['spec']).toEqual({
      selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP', sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
    });
  });

  it('Service NodePort gets externalTrafficPolicy', () => {
    const s = defaulted('Service', { metadata: { name: 'web' }, spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] } });
    expect(s['spec']).toMatchObject({ externalTrafficPolicy: 'Cluster', ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] });
  });

  it('Namespace and Secret', () => {
    expect(defaulted('Namespace', { metadata: { name: 'dev' } })).toEqual({ metadata: { name: 'dev' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    const s = defaulted('Secret', { metadata: { name: 's' }, stringData: { user: 'admin' } });
    expect(s).toEqual({ metadata: { name: 's' }, type: 'Opaque', data: { user: 'YWRtaW4=' } });
  });
});
