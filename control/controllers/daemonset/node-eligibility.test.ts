import { describe, expect, it } from 'vitest';
import type { Node, PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import { daemonTolerations } from './daemon-pod.js';
import { nodeShouldRunDaemonPod } from './node-eligibility.js';

const node = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node =>
  ({ metadata: { name, labels }, spec: { taints } });
const spec = (extra: Partial<PodSpec> = {}): PodSpec => {
  const s: PodSpec = { containers: [{ name: 'c' }], ...extra };
  return { ...s, tolerations: daemonTolerations(s) };
};

describe('nodeShouldRunDaemonPod', () => {
  it.each([
    ['a plain node', node('a'), spec(), true, true],
    ['nodeSelector match', node('a', { role: 'x' }), spec({ nodeSelector: { role: 'x' } }), true, true],
    ['nodeSelector miss', node('a', { role: 'y' }), spec({ nodeSelector: { role: 'x' } }), false, false],
    ['affinity matchFields', node('a'), spec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }] } } } }), false, false],
    ['affinity NotIn', node('a', { zone: 'z1' }), spec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z2'] }] }] } } } }), true, true],
    ['untolerated NoSchedule', node('a', {}, [{ key: 'gpu', effect: 'NoSchedule' }]), spec(), false, true],
    ['untolerated NoExecute', node('a', {}, [{ key: 'gpu', effect: 'NoExecute' }]), spec(), false, false],
    ['PreferNoSchedule is ignored', node('a', {}, [{ key: 'gpu', effect: 'PreferNoSchedule' }]), spec(), true, true],
    ['not-ready is tolerated automatically', node('a', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), spec(), true, true],
    ['cordoned nodes still get daemons', node('a', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), spec(), true, true],
    ['network-unavailable only for hostNetwork', node('a', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), spec(), false, true],
    ['hostNetwork tolerates network-unavailable', node('a', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), spec({ hostNetwork: true }), true, true],
    ['tolerated by the template', node('a', {}, [{ key: 'gpu', value: 'yes', effect: 'NoExecute' }]), spec({ tolerations: [{ key: 'gpu', operator: 'Equal', value: 'yes' }] }), true, true],
  ])('%s', (_name, n, s, shouldRun, shouldContinueRunning) => {
    expect(nodeShouldRunDaemonPod(n, s)).toEqual({ shouldRun, shouldContinueRunning });
  });
});
