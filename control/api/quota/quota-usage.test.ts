import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.js';
import { isBestEffort, podCountsForQuota, podUsage } from './pod-usage.js';
import { objectUsage, quotaMatches, tracksResource } from './quota-usage.js';
import { formatQuantity } from './resource-list.js';

const pod = (spec: Partial<Pod['spec']> = {}, status?: Pod['status']): Pod & KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'i' }], ...spec }, ...(status ? { status } : {}),
});
const withResources = (requests: Record<string, string>, limits: Record<string, string> = {}) =>
  pod({ containers: [{ name: 'a', image: 'i', resources: { requests, limits } }, { name: 'b', image: 'i', resources: { requests, limits } }] });

describe('pod usage', () => {
  it('sums containers into requests.*, limits.* and the bare names, at least the largest init container', () => {
    const p = withResources({ cpu: '250m', memory: '100Mi', 'example.com/dongle': '1' }, { cpu: '1' });
    p.spec!.initContainers = [{ name: 'init', image: 'i', resources: { requests: { cpu: '2' } } }];
    expect(podUsage(p)).toEqual({
      pods: 1, 'count/pods': 1, cpu: 2, 'requests.cpu': 2, memory: 200 * 2 ** 20, 'requests.memory': 200 * 2 ** 20,
      'requests.example.com/dongle': 2, 'limits.cpu': 2,
    });
  });

  it('does not count terminal pods or pods past their deletion grace', () => {
    expect(podCountsForQuota(pod({}, { phase: 'Succeeded' }), 0)).toBe(false);
    expect(podCountsForQuota(pod({}, { phase: 'Running' }), 0)).toBe(true);
    const deleting = pod();
    deleting.metadata = { ...deleting.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 };
    expect(podCountsForQuota(deleting, Date.parse('2026-01-01T00:00:10Z'))).toBe(true);
    expect(podCountsForQuota(deleting, Date.parse('2026-01-01T00:00:31Z'))).toBe(false);
  });

  it('is BestEffort only without any cpu/memory request or limit', () => {
    expect(isBestEffort(pod())).toBe(true);
    expect(isBestEffort(withResources({}, { memory: '1Mi' }))).toBe(false);
  });
});

describe('object usage and scopes', () => {
  it('charges services their node ports and load balancers, other kinds their count names', () => {
    const svc = { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 81 }] } } as KubeObject;
    expect(objectUsage('', 'services', svc)).toEqual({ 'count/services': 1, services: 1, 'services.nodeports': 2, 'services.loadbalancers': 1 });
    expect(objectUsage('apps', 'replicasets', { metadata: {} })).toEqual({ 'count/replicasets.apps': 1 });
    expect(objectUsage('', 'secrets', { metadata: {} })).toEqual({ 'count/secrets': 1, secrets: 1 });
    expect(tracksResource('requests.example.com/dongle', '', 'pods')).toBe(true);
    expect(tracksResource('pods', '', 'services')).toBe(false);
  });

  it.each([
    [['BestEffort'], pod(), true], [['NotBestEffort'], pod(), false], [['NotBestEffort'], withResources({ cpu: '1' }), true],
    [['Terminating'], pod({ activeDeadlineSeconds: 10 }), true], [['Terminating'], pod(), false], [['NotTerminating'], pod(), true],
  ] as const)('scopes %j on a pod: %#', (scopes, p, want) => {
    const rq: ResourceQuota = { spec: { hard: { pods: '5' }, scopes: [...scopes] } };
    expect(quotaMatches(rq, '', 'pods', p)).toBe(want);
    expect(quotaMatches(rq, '', 'secrets', { metadata: {} })).toBe(false);
  });

  it('formats quantities canonically', () => {
    expect([0, 3, 0.5, 1.1, 252 * 2 ** 20, 30 * 2 ** 30, 1000].map(formatQuantity)).toEqual(['0', '3', '500m', '1100m', '252Mi', '30Gi', '1000']);
  });
});
