import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { at, deepFreeze } from './test-helpers.js';

const smp = (kind: string, apiVersion: string, original: unknown, patch: unknown): unknown =>
  applyStrategicMergePatch(kind, apiVersion, deepFreeze(original), deepFreeze(patch));
const deploy = (podSpec: unknown, meta: unknown = { name: 'web' }) =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { replicas: 1, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } } });

describe('applyStrategicMergePatch: real kubectl bodies', () => {
  it('kubectl set image merges the container by name under $setElementOrder', () => {
    const out = smp('Deployment', 'apps/v1',
      deploy({ containers: [{ name: 'c', image: 'img:1', ports: [{ containerPort: 80 }] }, { name: 'side', image: 's:1' }] }),
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'side' }], containers: [{ image: 'img:2', name: 'c' }] } } } });
    expect(at(out, 'spec.template.spec')).toEqual({
      containers: [{ name: 'c', image: 'img:2', ports: [{ containerPort: 80 }] }, { name: 'side', image: 's:1' }],
    });
  });

  it('kubectl apply removes env FOO, port 443, container b and adds container c', () => {
    const original = deploy({
      containers: [
        { name: 'a', image: 'nginx:1', env: [{ name: 'FOO', value: '1' }, { name: 'BAR', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }] },
        { name: 'b', image: 'busybox' },
      ],
    }, { name: 'web', labels: { app: 'web', tier: 'fe' } });
    const patch = JSON.parse(`{"metadata":{"labels":{"tier":null}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"c"}],
      "containers":[{"$setElementOrder/env":[{"name":"BAR"}],"$setElementOrder/ports":[{"containerPort":80}],
      "env":[{"$patch":"delete","name":"FOO"}],"image":"nginx:2","name":"a","ports":[{"$patch":"delete","containerPort":443}]},
      {"image":"redis","name":"c"},{"$patch":"delete","name":"b"}]}}}}`);
    const out = smp('Deployment', 'apps/v1', original, patch);
    expect(at(out, 'metadata.labels')).toEqual({ app: 'web' });
    expect(at(out, 'spec.template.spec.containers')).toEqual([
      { name: 'a', image: 'nginx:2', env: [{ name: 'BAR', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
      { name: 'c', image: 'redis' },
    ]);
    expect(JSON.stringify(out)).not.toContain('$');
  });

  it.each([
    [{ spec: { unschedulable: true } }, { unschedulable: true, podCIDR: '10.0.0.0/24' }],
    [{ spec: { unschedulable: null } }, { podCIDR: '10.0.0.0/24' }],
  ])('kubectl cordon/uncordon %j', (patch, spec) => {
    const node = { kind: 'Node', metadata: { name: 'n1' }, spec: { unschedulable: true, podCIDR: '10.0.0.0/24' } };
    expect(at(smp('Node', 'v1', node, patch), 'spec')).toEqual(spec);
  });

  it('kubectl rollout restart adds the template annotation and keeps the rest', () => {
    const original = deploy({ containers: [{ name: 'c', image: 'i' }] });
    const out = smp('Deployment', 'apps/v1', original,
      { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } });
    expect(at(out, 'spec.template.metadata')).toEqual({ labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } });
    expect(at(out, 'spec.template.spec.containers')).toEqual([{ name: 'c', image: 'i' }]);
  });

  it('kubectl apply with only spec.replicas and last-applied annotation', () => {
    const out = smp('Deployment', 'apps/v1', deploy({ containers: [{ name: 'c', image: 'i' }] }),
      { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }, spec: { replicas: 5 } });
    expect(at(out, 'spec.replicas')).toBe(5);
    expect(at(out, 'metadata.annotations')).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
  });
});

describe('applyStrategicMergePatch: merge keys per type', () => {
  const podTemplateKinds: Array<[string, string]> = [['Deployment', 'apps/v1'], ['ReplicaSet', 'apps/v1'], ['DaemonSet', 'apps/v1'],
    ['StatefulSet', 'apps/v1'], ['Job', 'batch/v1'], ['ReplicationController', 'v1']];
  it.each(podTemplateKinds)('%s spec.template.spec.containers merge by name', (kind, apiVersion) => {
    const out = smp(kind, apiVersion, deploy({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] }),
      { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } });
    expect(at(out, 'spec.template.spec.containers')).toEqual([{ name: 'a', image: '1' }, { name: 'b', image: '2' }]);
  });

  it('CronJob spec.jobTemplate.spec.template.spec.containers merge by name', () => {
    const cj = { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '1', args: ['x'] }] } } } } } };
    const out = smp('CronJob', 'batch/v1', cj, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }] } } } } } });
    expect(at(out, 'spec.jobTemplate.spec.template.spec.containers')).toEqual([{ name: 'a', image: '2', args: ['x'] }]);
  });

  it.each([
    ['containers by name', 'containers', [{ name: 'a', image: '1' }], [{ name: 'a', image: '2' }], [{ name: 'a', image: '2' }]],
    ['initContainers by name', 'initContainers', [{ name: 'i', image: '1' }], [{ name: 'i', args: ['x'] }], [{ name: 'i', image: '1', args: ['x'] }]],
    ['volumes by name', 'volumes', [{ name: 'v', emptyDir: {} }], [{ name: 'w', emptyDir: {} }], [{ name: 'w', emptyDir: {} }, { name: 'v', emptyDir: {} }]],
    ['imagePullSecrets by name', 'imagePullSecrets', [{ name: 's' }], [{ name: 's' }], [{ name: 's' }]],
    ['hostAliases by ip', 'hostAliases', [{ ip: '1.1.1.1', hostnames: ['a'] }], [{ ip: '1.1.1.1', hostnames: ['b'] }], [{ ip: '1.1.1.1', hostnames: ['b'] }]],
    ['topologySpreadConstraints by topologyKey', 'topologySpreadConstraints', [{ topologyKey: 'zone', maxSkew: 1 }],
      [{ topologyKey: 'zone', maxSkew: 2 }], [{ topologyKey: 'zone', maxSkew: 2 }]],
    ['schedulingGates by name', 'schedulingGates', [{ name: 'g1' }], [{ $patch: 'delete', name: 'g1' }], []],
    ['tolerations replaced', 'tolerations', [{ key: 'a', operator: 'Exists' }], [{ key: 'b', operator: 'Exists' }], [{ key: 'b', operator: 'Exists' }]],
  ])('PodSpec %s', (_name, field, live, patch, want) => {
    const out = smp('Pod', 'v1', { spec: { [field]: live } }, { spec: { [field]: patch } });
    expect(at(out, ['spec', field])).toEqual(want);
  });

  it.each([
    ['env by name', 'env', [{ name: 'A', value: '1' }, { name: 'B', value: '1' }], [{ name: 'B', value: '2' }], [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]],
    ['ports by containerPort', 'ports', [{ containerPort: 80, name: 'http' }], [{ containerPort: 80, protocol: 'TCP' }], [{ containerPort: 80, name: 'http', protocol: 'TCP' }]],
    ['volumeMounts by mountPath', 'volumeMounts', [{ mountPath: '/a', name: 'v' }], [{ mountPath: '/a', readOnly: true }], [{ mountPath: '/a', name: 'v', readOnly: true }]],
    ['volumeDevices by devicePath', 'volumeDevices', [{ devicePath: '/dev/a', name: 'v' }], [{ devicePath: '/dev/a', name: 'w' }], [{ devicePath: '/dev/a', name: 'w' }]],
    ['args replaced', 'args', ['a', 'b'], ['c'], ['c']],
    ['command replaced', 'command', ['sh'], ['bash', '-c'], ['bash', '-c']],
    ['envFrom replaced', 'envFrom', [{ configMapRef: { name: 'a' } }], [{ secretRef: { name: 'b' } }], [{ secretRef: { name: 'b' } }]],
  ])('Container %s', (_name, field, live, patch, want) => {
    const out = smp('Pod', 'v1', { spec: { containers: [{ name: 'c', [field]: live }] } },
      { spec: { containers: [{ name: 'c', [field]: patch }] } });
    expect(at(out, ['spec', 'containers', '0', field])).toEqual(want);
  });

  it('ephemeralContainers use the Container rules', () => {
    const out = smp('Pod', 'v1', { spec: { ephemeralContainers: [{ name: 'd', env: [{ name: 'A', value: '1' }] }] } },
      { spec: { ephemeralContainers: [{ name: 'd', env: [{ name: 'B', value: '2' }] }] } });
    expect(at(out, 'spec.ephemeralContainers.0.env')).toEqual([{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
  });

  it('Service spec.ports merge by port', () => {
    const out = smp('Service', 'v1', { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
      { spec: { ports: [{ port: 80, nodePort: 30080 }] } });
    expect(at(out, 'spec.ports')).toEqual([{ port: 80, targetPort: 8080, nodePort: 30080 }, { port: 443 }]);
  });

  it.each([['Pod', 'v1'], ['Node', 'v1'], ['Deployment', 'apps/v1'], ['ReplicaSet', 'apps/v1'], ['Job', 'batch/v1'],
    ['Namespace', 'v1'], ['Service', 'v1'], ['ReplicationController', 'v1'], ['DaemonSet', 'apps/v1'], ['StatefulSet', 'apps/v1']])(
    '%s status.conditions merge by type', (kind, apiVersion) => {
      const out = smp(kind, apiVersion, { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Other', status: 'True' }] } },
        { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
      expect(at(out, 'status.conditions')).toEqual([{ type: 'Ready', status: 'True' }, { type: 'Other', status: 'True' }]);
    });

  it('Node status.addresses merge by type; taints are replaced', () => {
    const out = smp('Node', 'v1',
      { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }] } },
      { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } });
    expect(at(out, 'spec.taints')).toEqual([{ key: 'b', effect: 'NoExecute' }]);
    expect(at(out, 'status.addresses')).toEqual([{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n1' }]);
  });

  it('Pod status.podIPs merge by ip', () => {
    const out = smp('Pod', 'v1', { status: { podIPs: [{ ip: '10.1.0.2' }] } }, { status: { podIPs: [{ ip: 'fd00::2' }] } });
    expect(at(out, 'status.podIPs')).toEqual([{ ip: 'fd00::2' }, { ip: '10.1.0.2' }]);
  });

  it('ObjectMeta ownerReferences merge by uid and finalizers are a set', () => {
    const out = smp('ConfigMap', 'v1',
      { metadata: { ownerReferences: [{ uid: 'u1', name: 'a' }], finalizers: ['x', 'y'] } },
      { metadata: { ownerReferences: [{ uid: 'u1', controller: true }, { uid: 'u2', name: 'b' }], finalizers: ['y', 'z'] } });
    expect(at(out, 'metadata.ownerReferences')).toEqual([{ uid: 'u1', name: 'a', controller: true }, { uid: 'u2', name: 'b' }]);
    expect([...(at(out, 'metadata.finalizers') as string[])].sort()).toEqual(['x', 'y', 'z']);
  });

  it('unknown kinds replace lists, like JSON merge patch', () => {
    const out = smp('Widget', 'example.com/v1', { spec: { containers: [{ name: 'a' }], items: [1] } },
      { spec: { containers: [{ name: 'b' }], items: [2] } });
    expect(at(out, 'spec')).toEqual({ containers: [{ name: 'b' }], items: [2] });
  });

  it('a known kind name in a foreign group is treated as unknown', () => {
    const out = smp('Deployment', 'example.com/v1', deploy({ containers: [{ name: 'a' }] }),
      { spec: { template: { spec: { containers: [{ name: 'b' }] } } } });
    expect(at(out, 'spec.template.spec.containers')).toEqual([{ name: 'b' }]);
  });
});
