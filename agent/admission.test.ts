import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { admissionNodeOf, admitPod, byCreation, podRequests, rejectedStatus } from './admission.js';
import type { AdmissionNode } from './admission.js';

const NODE: AdmissionNode = { name: 'n1', labels: { disk: 'ssd', 'kubernetes.io/hostname': 'n1' }, allocatable: { milliCpu: 2000, memory: 4 * 2 ** 30, pods: 110 } };

function pod(name: string, containers: Partial<Container>[], extra: Partial<Pod['spec']> = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: name },
    spec: { nodeName: 'n1', containers: containers.map((c, i) => ({ name: `c${i}`, image: 'busybox', ...c })), ...extra },
  };
}
const withPort = (hostPort: number, more: { hostIP?: string; protocol?: string } = {}): Partial<Container> =>
  ({ ports: [{ containerPort: 80, hostPort, ...more }] });
const withRequests = (cpu: string, memory: string): Partial<Container> => ({ resources: { requests: { cpu, memory } } });

describe('admitPod', () => {
  it('admits a pod that asks for nothing special', () => {
    expect(admitPod(pod('a', [{}]), [pod('b', [{}])], NODE)).toEqual({ admit: true });
  });

  it.each([
    ['same port, both wildcard', withPort(21017), withPort(21017), false],
    ['same port, empty hostIP vs a specific one', withPort(21017), withPort(21017, { hostIP: '10.0.0.1' }), false],
    ['same port, specific vs wildcard', withPort(21017, { hostIP: '10.0.0.1' }), withPort(21017, { hostIP: '0.0.0.0' }), false],
    ['same port, same specific IP', withPort(8080, { hostIP: '10.0.0.1' }), withPort(8080, { hostIP: '10.0.0.1' }), false],
    ['same port, different specific IPs', withPort(8080, { hostIP: '10.0.0.1' }), withPort(8080, { hostIP: '10.0.0.2' }), true],
    ['same port, different protocols', withPort(53, { protocol: 'UDP' }), withPort(53), true],
    ['different ports', withPort(8080), withPort(8081), true],
  ])('host ports: %s', (_name, mine, theirs, ok) => {
    const r = admitPod(pod('new', [mine]), [pod('old', [theirs])], NODE);
    expect(r).toEqual(ok ? { admit: true } : { admit: false, reason: 'NodePorts', message: 'Predicate NodePorts failed' });
  });

  it('ignores containerPort without hostPort and init containers ports', () => {
    const p = pod('new', [{ ports: [{ containerPort: 80 }] }], { initContainers: [{ name: 'i', image: 'busybox', ports: [{ containerPort: 1, hostPort: 21017 }] }] });
    expect(admitPod(p, [pod('old', [withPort(21017)])], NODE)).toEqual({ admit: true });
  });

  it('refuses a pod whose nodeSelector or required node affinity does not match the node', () => {
    expect(admitPod(pod('a', [{}], { nodeSelector: { disk: 'hdd' } }), [], NODE)).toEqual({ admit: false, reason: 'NodeAffinity', message: 'Predicate NodeAffinity failed' });
    expect(admitPod(pod('a', [{}], { nodeSelector: { disk: 'ssd' } }), [], NODE)).toEqual({ admit: true });
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] }] } } };
    expect(admitPod(pod('a', [{}], { affinity }), [], NODE)).toMatchObject({ admit: false, reason: 'NodeAffinity' });
  });

  it('refuses a pod bound to another node', () => {
    expect(admitPod(pod('a', [{}], { nodeName: 'n2' }), [], NODE)).toEqual({ admit: false, reason: 'NodeName', message: 'Predicate NodeName failed' });
  });

  it('refuses beyond the pod count with OutOfpods', () => {
    const small = { ...NODE, allocatable: { ...NODE.allocatable, pods: 2 } };
    expect(admitPod(pod('c', [{}]), [pod('a', [{}])], small)).toEqual({ admit: true });
    expect(admitPod(pod('c', [{}]), [pod('a', [{}]), pod('b', [{}])], small))
      .toEqual({ admit: false, reason: 'OutOfpods', message: "Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2" });
  });

  it('refuses requests beyond what is left: OutOfcpu before OutOfmemory', () => {
    const used = [pod('a', [withRequests('1500m', '1Gi')])];
    expect(admitPod(pod('b', [withRequests('500m', '1Gi')]), used, NODE)).toEqual({ admit: true });
    expect(admitPod(pod('b', [withRequests('600m', '8Gi')]), used, NODE))
      .toEqual({ admit: false, reason: 'OutOfcpu', message: "Node didn't have enough resource: cpu, requested: 600, used: 1500, capacity: 2000" });
    expect(admitPod(pod('b', [withRequests('100m', '3.5Gi')]), used, NODE))
      .toEqual({ admit: false, reason: 'OutOfmemory', message: `Node didn't have enough resource: memory, requested: ${3.5 * 2 ** 30}, used: ${2 ** 30}, capacity: ${4 * 2 ** 30}` });
  });

  it('reports only the first failure, resources before predicates', () => {
    const p = pod('b', [{ ...withRequests('3', '1'), ...withPort(80) }], { nodeSelector: { disk: 'hdd' } });
    expect(admitPod(p, [pod('a', [withPort(80)])], NODE)).toMatchObject({ reason: 'OutOfcpu' });
  });
});

describe('podRequests', () => {
  it('is the larger of the containers sum and each init container, plus overhead', () => {
    const p = pod('a', [withRequests('100m', '10Mi'), withRequests('200m', '10Mi')], {
      initContainers: [{ name: 'i', image: 'busybox', resources: { requests: { cpu: '250m', memory: '5Mi' } } }],
      overhead: { cpu: '10m' },
    });
    expect(podRequests(p)).toEqual({ milliCpu: 310, memory: 20 * 2 ** 20 });
  });
});

describe('admissionNodeOf', () => {
  it('reads allocatable quantities', () => {
    const n = admissionNodeOf({ metadata: { name: 'n1', labels: { a: 'b' } }, status: { allocatable: { cpu: '4', memory: '2048Ki', pods: '110' } } });
    expect(n).toEqual({ name: 'n1', labels: { a: 'b' }, allocatable: { milliCpu: 4000, memory: 2048 * 1024, pods: 110 } });
  });
});

describe('byCreation', () => {
  it('sorts oldest first, then by namespace/name', () => {
    const at = (name: string, t: string): Pod => ({ metadata: { name, namespace: 'ns', creationTimestamp: t } });
    const list = [at('c', '2024-01-01T00:00:02Z'), at('b', '2024-01-01T00:00:01Z'), at('a', '2024-01-01T00:00:02Z')];
    expect(list.sort(byCreation).map((p) => p.metadata?.name)).toEqual(['b', 'a', 'c']);
  });
});

describe('rejectedStatus', () => {
  it('is Failed with the reason and "Pod <message>", keeping startTime and PodScheduled only', () => {
    const p: Pod = { metadata: { name: 'a' }, status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }] } };
    expect(rejectedStatus(p, { reason: 'NodePorts', message: 'Predicate NodePorts failed' }, '2024-01-01T00:00:00Z')).toEqual({
      phase: 'Failed', reason: 'NodePorts', message: 'Pod Predicate NodePorts failed', startTime: '2024-01-01T00:00:00Z',
      conditions: [{ type: 'PodScheduled', status: 'True' }], qosClass: 'BestEffort',
    });
  });
});
