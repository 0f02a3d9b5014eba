import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from './kube-object.js';
import { podPrinter } from './pod-printer.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;

const running = (name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name, image: 'img', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: ago(MIN) } }, ...extra,
});

function pod(p: { spec?: Partial<Pod['spec']>; status?: Pod['status']; metadata?: Pod['metadata'] }): KubeObject {
  const obj: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(24 * 60 * MIN), ...p.metadata },
    spec: { containers: [{ name: 'c' }], ...p.spec },
    ...(p.status ? { status: p.status } : {}),
  };
  return obj as unknown as KubeObject;
}

const row = (o: KubeObject) => podPrinter.row(o, { now: NOW });
/** Ready, Status, Restarts */
const summary = (o: KubeObject) => row(o).cells.slice(1, 4);

describe('podPrinter', () => {
  it('has upstream 1.32 columns', () => {
    expect(podPrinter.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0], ['Ready', 'string', 0], ['Status', 'string', 0], ['Restarts', 'string', 0], ['Age', 'string', 0],
      ['IP', 'string', 1], ['Node', 'string', 1], ['Nominated Node', 'string', 1], ['Readiness Gates', 'string', 1],
    ]);
    expect(podPrinter.columns[0]?.format).toBe('name');
  });

  it('prints a running pod with wide cells', () => {
    const o = pod({
      spec: { nodeName: 'node1' },
      status: { phase: 'Running', podIP: '10.244.0.12', podIPs: [{ ip: '10.244.0.12' }], containerStatuses: [running('c')] },
    });
    expect(row(o)).toEqual({ cells: ['p', '1/1', 'Running', '0', '24h', '10.244.0.12', 'node1', '<none>', '<none>'] });
  });

  it('prints <none> for missing wide values and falls back to status.podIP', () => {
    expect(row(pod({ status: { phase: 'Pending' } })).cells.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
    expect(row(pod({ status: { phase: 'Running', podIP: '10.0.0.9' } })).cells[5]).toBe('10.0.0.9');
  });

  it.each<[string, Pod['status'], Partial<Pod['spec']> | undefined, unknown[]]>([
    ['pending, no statuses', { phase: 'Pending' }, undefined, ['0/1', 'Pending', '0']],
    ['waiting reason', { phase: 'Pending', containerStatuses: [running('c', { ready: false, state: { waiting: { reason: 'ContainerCreating' } } })] }, undefined, ['0/1', 'ContainerCreating', '0']],
    ['terminated Completed', { phase: 'Succeeded', containerStatuses: [running('c', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })] }, undefined, ['0/1', 'Completed', '0']],
    ['terminated without reason: exit code', { phase: 'Failed', containerStatuses: [running('c', { ready: false, state: { terminated: { exitCode: 2 } } })] }, undefined, ['0/1', 'ExitCode:2', '0']],
    ['terminated without reason: signal', { phase: 'Failed', containerStatuses: [running('c', { ready: false, state: { terminated: { exitCode: 137, signal: 9 } } })] }, undefined, ['0/1', 'Signal:9', '0']],
    ['pod-level reason', { phase: 'Failed', reason: 'Evicted' }, undefined, ['0/1', 'Evicted', '0']],
    ['scheduling gated', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }, undefined, ['0/1', 'SchedulingGated', '0']],
    ['completed plus running, Ready', {
      phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [running('a'), running('b', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })],
    }, { containers: [{ name: 'a' }, { name: 'b' }] }, ['1/2', 'Running', '0']],
    ['completed plus running, not Ready', {
      phase: 'Running',
      containerStatuses: [running('a'), running('b', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })],
    }, { containers: [{ name: 'a' }, { name: 'b' }] }, ['1/2', 'NotReady', '0']],
    ['init running', {
      phase: 'Pending', initContainerStatuses: [running('i1', { ready: false })],
    }, { initContainers: [{ name: 'i1' }, { name: 'i2' }] }, ['0/1', 'Init:0/2', '0']],
    ['second init waiting PodInitializing', {
      phase: 'Pending', initContainerStatuses: [
        running('i1', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }),
        running('i2', { ready: false, state: { waiting: { reason: 'PodInitializing' } } }),
      ],
    }, { initContainers: [{ name: 'i1' }, { name: 'i2' }] }, ['0/1', 'Init:1/2', '0']],
    ['init crash loop', {
      phase: 'Pending', initContainerStatuses: [running('i1', { ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } })],
    }, { initContainers: [{ name: 'i1' }] }, ['0/1', 'Init:CrashLoopBackOff', '2']],
    ['init failed with reason', {
      phase: 'Pending', initContainerStatuses: [running('i1', { ready: false, state: { terminated: { exitCode: 1, reason: 'Error' } } })],
    }, { initContainers: [{ name: 'i1' }] }, ['0/1', 'Init:Error', '0']],
    ['init failed without reason', {
      phase: 'Pending', initContainerStatuses: [running('i1', { ready: false, state: { terminated: { exitCode: 3 } } })],
    }, { initContainers: [{ name: 'i1' }] }, ['0/1', 'Init:ExitCode:3', '0']],
    ['init killed by signal', {
      phase: 'Pending', initContainerStatuses: [running('i1', { ready: false, state: { terminated: { exitCode: 137, signal: 9 } } })],
    }, { initContainers: [{ name: 'i1' }] }, ['0/1', 'Init:Signal:9', '0']],
    ['started sidecar counts as a container', {
      phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [running('side', { started: true, restartCount: 1 })],
      containerStatuses: [running('c')],
    }, { initContainers: [{ name: 'side', restartPolicy: 'Always' }] }, ['2/2', 'Running', '1']],
  ])('%s', (_name, status, spec, want) => {
    expect(summary(pod({ status, ...(spec ? { spec } : {}) }))).toEqual(want);
  });

  it('sets the Completed row condition for terminal pods', () => {
    expect(row(pod({ status: { phase: 'Succeeded' } })).conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    expect(row(pod({ status: { phase: 'Failed' } })).conditions?.[0]?.reason).toBe('Failed');
    expect(row(pod({ status: { phase: 'Running' } })).conditions).toBeUndefined();
  });

  it('prints Terminating while deleting a non-terminal pod, Unknown for a lost node', () => {
    const deleting = { name: 'p', creationTimestamp: ago(MIN), deletionTimestamp: ago(0) };
    expect(summary(pod({ metadata: deleting, status: { phase: 'Running', containerStatuses: [running('c')] } }))[1]).toBe('Terminating');
    expect(summary(pod({ metadata: deleting, status: { phase: 'Running', reason: 'NodeLost' } }))[1]).toBe('Unknown');
    expect(summary(pod({ metadata: deleting, status: { phase: 'Succeeded', containerStatuses: [running('c', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })] } }))[1]).toBe('Completed');
  });

  it('sums restarts and shows the most recent restart', () => {
    const o = pod({
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          running('a', { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * MIN) } } }),
          running('b', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * MIN) } } }),
        ],
      },
    });
    expect(summary(o)).toEqual(['2/2', 'Running', '3 (2m ago)']);
  });

  it('prints a bare restart count without a last termination time', () => {
    expect(summary(pod({ status: { phase: 'Running', containerStatuses: [running('c', { restartCount: 4 })] } }))[2]).toBe('4');
  });

  it('counts init restarts while initializing', () => {
    const o = pod({
      spec: { initContainers: [{ name: 'i' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [running('i', {
          ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MIN) } },
        })],
      },
    });
    expect(summary(o)).toEqual(['0/1', 'Init:CrashLoopBackOff', '2 (5m ago)']);
  });

  it('prints readiness gates as true/total', () => {
    const o = pod({
      spec: { readinessGates: [{ conditionType: 'a' }, { conditionType: 'b' }] },
      status: { phase: 'Running', conditions: [{ type: 'a', status: 'True' }, { type: 'b', status: 'False' }] },
    });
    expect(row(o).cells[8]).toBe('1/2');
  });

  it('prints <unknown> age without a creation timestamp', () => {
    const o: KubeObject = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } };
    expect(row(o).cells[4]).toBe('<unknown>');
  });
});
