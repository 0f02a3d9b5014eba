import { describe, expect, it } from 'vitest';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from './kube-object.js';
import { nodePrinter, nodeRoles, nodeStatus } from './node-printer.js';

const NOW = new Date('2024-01-01T12:00:00Z');

const node = (n: Partial<Node>): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, ...n });

describe('nodeStatus', () => {
  it.each<[string, Partial<Node>, string]>([
    ['ready', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Ready'],
    ['not ready', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, 'NotReady'],
    ['ready unknown', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, 'NotReady'],
    ['no Ready condition', { status: { conditions: [{ type: 'MemoryPressure', status: 'False' }] } }, 'Unknown'],
    ['no status', {}, 'Unknown'],
    ['cordoned', { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Ready,SchedulingDisabled'],
    ['cordoned, unknown', { spec: { unschedulable: true } }, 'Unknown,SchedulingDisabled'],
  ])('%s', (_n, n, want) => {
    expect(nodeStatus(node(n))).toBe(want);
  });
});

describe('nodeRoles', () => {
  it('collects node-role.kubernetes.io/* keys and kubernetes.io/role values, sorted and unique', () => {
    const labels = {
      'node-role.kubernetes.io/control-plane': '',
      'node-role.kubernetes.io/master': '',
      'node-role.kubernetes.io/': '',
      'kubernetes.io/role': 'master',
      'kubernetes.io/hostname': 'n1',
    };
    expect(nodeRoles(node({ metadata: { name: 'n1', labels } }))).toEqual(['control-plane', 'master']);
  });
  it('ignores an empty kubernetes.io/role', () => {
    expect(nodeRoles(node({ metadata: { name: 'n1', labels: { 'kubernetes.io/role': '' } } }))).toEqual([]);
  });
});

describe('nodePrinter', () => {
  it('prints all columns, <none> and <unknown> for missing values', () => {
    const n = node({
      metadata: { name: 'n1', creationTimestamp: '2024-01-01T09:00:00Z' },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '172.18.0.2' }],
        nodeInfo: {
          kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: '',
          architecture: 'amd64', bootID: '', machineID: '', operatingSystem: 'linux', systemUUID: '', kubeProxyVersion: '',
        },
      },
    });
    expect(nodePrinter.row(n as unknown as KubeObject, { now: NOW }).cells).toEqual(
      ['n1', 'Ready', '<none>', '3h', 'v1.32.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12', '6.1.0', '<unknown>']);
    expect(nodePrinter.columns.filter((c) => c.priority === 1).map((c) => c.name))
      .toEqual(['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
  });
});
