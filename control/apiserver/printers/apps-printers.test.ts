import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from './kube-object.js';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, replicationControllerPrinter } from './apps-printers.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const ctx = { now: NOW };
const asObj = (o: object): KubeObject => o as KubeObject;
const meta = { name: 'web', creationTimestamp: '2024-01-01T11:50:00Z' };
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } };

describe('deploymentPrinter', () => {
  it('prints ready/desired, up-to-date, available and wide cells', () => {
    const d: Deployment = {
      metadata: meta, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(deploymentPrinter.row(asObj(d), ctx).cells).toEqual(['web', '2/3', 3, 2, '10m', 'nginx,side', 'nginx:1.27,busybox', 'app=web']);
  });
  it('defaults missing counts to 0 and replicas to 1', () => {
    const d: Deployment = { metadata: meta, spec: { selector: {}, template: { spec: { containers: [] } } } };
    expect(deploymentPrinter.row(asObj(d), ctx).cells).toEqual(['web', '0/1', 0, 0, '10m', '', '', '']);
  });
  it('has upstream columns', () => {
    expect(deploymentPrinter.columns.map((c) => `${c.name}:${c.priority}`))
      .toEqual(['Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1']);
  });
});

describe('replica printers', () => {
  it('prints a ReplicaSet', () => {
    const rs: ReplicaSet = {
      metadata: meta,
      spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template },
      status: { replicas: 2, readyReplicas: 1 },
    };
    expect(replicaSetPrinter.row(asObj(rs), ctx).cells).toEqual(['web', 2, 2, 1, '10m', 'nginx,side', 'nginx:1.27,busybox', 'app=web,pod-template-hash=abc']);
  });
  it('prints a ReplicationController with a map selector', () => {
    const rc: ReplicationController = { metadata: meta, spec: { replicas: 0, selector: { app: 'web' }, template }, status: { replicas: 0 } };
    expect(replicationControllerPrinter.row(asObj(rc), ctx).cells).toEqual(['web', 0, 0, 0, '10m', 'nginx,side', 'nginx:1.27,busybox', 'app=web']);
  });
});

describe('daemonSetPrinter', () => {
  it('prints counts, node selector and wide cells', () => {
    const ds: DaemonSet = {
      metadata: meta,
      spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1, numberMisscheduled: 0 },
    };
    expect(daemonSetPrinter.row(asObj(ds), ctx).cells)
      .toEqual(['web', 2, 2, 1, 2, 1, 'kubernetes.io/os=linux', '10m', 'nginx,side', 'nginx:1.27,busybox', 'app=web']);
  });
  it('prints <none> without a node selector', () => {
    const ds: DaemonSet = { metadata: meta, spec: { selector: {}, template: { spec: { containers: [] } } } };
    expect(daemonSetPrinter.row(asObj(ds), ctx).cells.slice(6)).toEqual(['<none>', '10m', '', '', '<none>']);
  });
});
