import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { resolveEnv } from './env.js';
import type { EnvContext, PodRefs } from './env.js';
import { makeContainerConfig, makeSandboxConfig, podHostname, podLogDirectory } from './sandbox-config.js';
import { etcHostsPath, volumeHostPaths } from './volume-paths.js';
import { renderEtcHosts, volumeFiles } from './volumes.js';

const pod: Pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', uid: '0f1e2d3c-0000-4000-8000-000000000001', labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' } },
  spec: {
    nodeName: 'node-a', serviceAccountName: 'default', restartPolicy: 'Always', terminationGracePeriodSeconds: 20, dnsPolicy: 'ClusterFirst',
    volumes: [
      { name: 'scratch', emptyDir: {} },
      { name: 'host', hostPath: { path: '/var/log/app', type: 'DirectoryOrCreate' } },
      { name: 'conf', configMap: { name: 'web-conf', items: [{ key: 'app.conf', path: 'conf/app.conf' }], defaultMode: 0o640 } },
      { name: 'creds', secret: { secretName: 'web-secret', defaultMode: 0o400 } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
    ],
    containers: [{
      name: 'app', image: 'tinykube/web:1', imagePullPolicy: 'IfNotPresent',
      command: ['/bin/httpd'], args: ['-f', '-p', '$(PORT)', '-h', '$$(ESCAPED)'], workingDir: '/www',
      ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }],
      env: [
        { name: 'PORT', value: '80' },
        { name: 'GREETING', value: 'hello on $(PORT)' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'MEM_LIMIT_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'web-conf', key: 'color' } } },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'password' } } },
        { name: 'MISSING_OK', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
      ],
      envFrom: [{ configMapRef: { name: 'web-conf' }, prefix: 'CONF_' }],
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      volumeMounts: [
        { name: 'scratch', mountPath: '/scratch' }, { name: 'host', mountPath: '/logs' }, { name: 'conf', mountPath: '/etc/app', readOnly: true },
        { name: 'creds', mountPath: '/etc/creds', readOnly: true }, { name: 'info', mountPath: '/etc/podinfo' },
      ],
    }],
  },
  status: { qosClass: 'Burstable', phase: 'Pending' },
};

const refs: PodRefs = {
  configMaps: { 'web-conf': { data: { color: 'blue', 'app.conf': 'listen 80\n', 'bad-key!': 'skipped' } }, nope: undefined },
  secrets: { 'web-secret': { data: { password: Buffer.from('s3cret').toString('base64') } } },
};
const ctx: EnvContext = { podIP: '10.244.1.7', hostIP: '192.168.1.10', nodeAllocatable: { cpu: 4, memory: 8 * 2 ** 30 } };

describe('sandbox-config', () => {
  it('renders a representative pod like the golden file', async () => {
    const c = pod.spec!.containers[0]!;
    const sandbox = makeSandboxConfig(pod, { attempt: 0, logDirectory: podLogDirectory('/var/lib/tinykube/logs', pod), clusterDNS: '10.96.0.10' });
    const envs = resolveEnv(pod, c, refs, ctx);
    const container = makeContainerConfig(pod, c, {
      attempt: 3, envs, volumePaths: volumeHostPaths(pod, '/var/lib/tinykube'), etcHostsPath: etcHostsPath('/var/lib/tinykube', pod.metadata!.uid!),
      nodeMemoryBytes: 8 * 2 ** 30,
    });
    const files = Object.fromEntries((pod.spec!.volumes ?? []).map((v) => [v.name, volumeFiles(pod, v, refs, ctx)
      .map((f) => ({ path: f.path, mode: f.mode.toString(8), content: f.content.toString('utf8') }))]));
    const golden = { sandbox, container, files, etcHosts: renderEtcHosts(pod, ctx.podIP) };
    await expect(JSON.stringify(golden, null, 2) + '\n').toMatchFileSnapshot('./testdata/sandbox-config.golden.json');
  });

  it('refuses a missing required configmap with the upstream message', () => {
    const c = { name: 'x', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k' } } }] };
    expect(() => resolveEnv(pod, c, refs, ctx)).toThrow('configmap "gone" not found');
  });

  it.each([
    [{}, {}, 'BestEffort', { cpuShares: 2, oomScoreAdj: 1000 }],
    [{ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }, 'Guaranteed', { cpuShares: 1024, cpuQuota: 100000, memoryLimitInBytes: 2 ** 30, oomScoreAdj: 0 }],
  ])('resources %j / %j (%s)', (requests, limits, qos, want) => {
    const p: Pod = { ...pod, status: { qosClass: qos } };
    const c = { name: 'c', image: 'i', resources: { requests, limits } };
    expect(makeContainerConfig(p, c, { attempt: 0, envs: [], volumePaths: {}, nodeMemoryBytes: 2 ** 33 }).linux?.resources).toEqual({ cpuPeriod: 100000, ...want });
  });
});

describe('podHostname', () => {
  it('is the pod name (or spec.hostname), cut to 63 characters without a trailing - or .', () => {
    const long = 'termination-message-containerbc4babf8-142e-4e61-bf40-f54b40ae2623';
    expect(podHostname({ metadata: { name: long } })).toBe('termination-message-containerbc4babf8-142e-4e61-bf40-f54b40ae26');
    expect(podHostname({ metadata: { name: `${'a'.repeat(62)}-bcd` } })).toBe('a'.repeat(62));
    expect(podHostname({ metadata: { name: 'web' }, spec: { hostname: 'h1', containers: [] } })).toBe('h1');
    expect(makeSandboxConfig({ metadata: { name: long, uid: 'u' }, spec: { containers: [] } }, { attempt: 0, logDirectory: '/l' }).hostname).toHaveLength(63);
  });
});
