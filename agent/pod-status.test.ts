import type { ContainerStatus as ApiStatus, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { ContainerStatus } from '../cri/types.js';
import { computePodStatus, podPhase } from './pod-status.js';

const running: ApiStatus = { name: 'a', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: 'x' } } };
const done = (exitCode: number): ApiStatus => ({ ...running, state: { terminated: { exitCode } } });
const crashLoop: ApiStatus = { ...running, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } };
const creating: ApiStatus = { ...running, state: { waiting: { reason: 'ContainerCreating' } } };
const pod = (restartPolicy: string): Pod => ({ spec: { restartPolicy, containers: [] } });

describe('podPhase (kubelet getPhase)', () => {
  it.each([
    ['Always', [running], 'Running'],
    ['Always', [creating], 'Pending'],
    ['Always', [crashLoop], 'Running'],
    ['Always', [done(0)], 'Running'],
    ['Never', [done(0)], 'Succeeded'],
    ['Never', [done(0), done(2)], 'Failed'],
    ['Never', [running, done(1)], 'Running'],
    ['OnFailure', [done(0)], 'Succeeded'],
    ['OnFailure', [done(1)], 'Running'],
  ])('%s %j → %s', (policy, statuses, want) => {
    expect(podPhase(pod(policy), [], statuses as ApiStatus[], true)).toBe(want);
  });

  it('is Pending while init containers run, Failed when one fails under Never', () => {
    expect(podPhase(pod('Always'), [done(1)], [], false)).toBe('Pending');
    expect(podPhase(pod('Never'), [done(1)], [], false)).toBe('Failed');
  });
});

describe('computePodStatus', () => {
  const c = (over: Partial<ContainerStatus>): ContainerStatus => ({
    id: 'c1', podSandboxId: 's1', metadata: { name: 'app', attempt: 0 }, image: { image: 'busybox:1' }, imageRef: 'sha256:aa', state: 'CONTAINER_RUNNING',
    createdAt: 1e18, labels: {}, annotations: {}, startedAt: 1.7e18, finishedAt: 0, exitCode: 0, reason: '', message: '', logPath: '', ...over,
  });
  const base = {
    pod: { metadata: { name: 'p', uid: 'u' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] }, status: { qosClass: 'BestEffort' as const } },
    runtimeName: 'docker', hostIP: '10.0.0.1', podIP: '10.88.0.2', sandboxReady: true, notes: new Map(),
    isReady: () => true, isStarted: () => true, now: new Date('2026-01-01T00:00:00Z'),
  };

  it('reports the running instance with the previous one as lastState', () => {
    const s = computePodStatus({ ...base, state: { sandboxes: [], containers: [
      c({ id: 'c2', metadata: { name: 'app', attempt: 1 } }),
      c({ id: 'c1', state: 'CONTAINER_EXITED', exitCode: 137, reason: 'OOMKilled', finishedAt: 1.71e18 }),
    ] } });
    const cs = s.containerStatuses?.[0];
    expect(cs).toMatchObject({ restartCount: 1, ready: true, started: true, containerID: 'docker://c2', imageID: 'sha256:aa' });
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled', containerID: 'docker://c1' });
    expect(s).toMatchObject({ phase: 'Running', podIP: '10.88.0.2', hostIP: '10.0.0.1', qosClass: 'BestEffort', startTime: '2026-01-01T00:00:00Z' });
  });

  it('keeps lastTransitionTime of unchanged conditions', () => {
    const pod = { ...base.pod, status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] } };
    const s = computePodStatus({ ...base, pod, state: { sandboxes: [], containers: [c({})] } });
    expect(s.conditions?.find((x) => x.type === 'Ready')?.lastTransitionTime).toBe('2025-01-01T00:00:00Z');
    expect(s.conditions?.find((x) => x.type === 'Initialized')?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });

  it('init containers: a completed one is ready; while one fails the rest wait PodInitializing and Initialized is False', () => {
    const pod = { ...base.pod, spec: { ...base.pod.spec, initContainers: [{ name: 'init1', image: 'busybox:1' }, { name: 'init2', image: 'busybox:1' }] } };
    const ok = computePodStatus({ ...base, pod, state: { sandboxes: [], containers: [
      c({ id: 'i1', metadata: { name: 'init1', attempt: 0 }, state: 'CONTAINER_EXITED', exitCode: 0, finishedAt: 1.71e18 }),
      c({ id: 'i2', metadata: { name: 'init2', attempt: 0 }, state: 'CONTAINER_EXITED', exitCode: 0, finishedAt: 1.71e18 }),
      c({}),
    ] } });
    expect(ok.initContainerStatuses?.map((s) => [s.name, s.ready, s.state?.terminated?.exitCode])).toEqual([['init1', true, 0], ['init2', true, 0]]);
    expect(ok.conditions?.find((x) => x.type === 'Initialized')?.status).toBe('True');

    const notes = new Map([['init1', { reason: 'CrashLoopBackOff', message: 'back-off 10s' }]]);
    const failing = computePodStatus({ ...base, pod, notes, state: { sandboxes: [], containers: [
      c({ id: 'i1', metadata: { name: 'init1', attempt: 1 }, state: 'CONTAINER_EXITED', exitCode: 1, finishedAt: 1.71e18 }),
      c({ id: 'i0', metadata: { name: 'init1', attempt: 0 }, state: 'CONTAINER_EXITED', exitCode: 1, finishedAt: 1.70e18 }),
    ] } });
    const [init1, init2] = failing.initContainerStatuses ?? [];
    expect(init1).toMatchObject({ ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } });
    expect(init2).toMatchObject({ ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } });
    expect(failing.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(failing.phase).toBe('Pending');
    expect(failing.conditions?.find((x) => x.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init1 init2]' });
  });

  it('readiness gates: Ready stays False until every gate condition is True; others\' conditions are kept', () => {
    const gated = (conditions: { type: string; status: string }[]) => ({ ...base.pod, spec: { ...base.pod.spec, readinessGates: [{ conditionType: 'x/one' }, { conditionType: 'x/two' }] }, status: { conditions } });
    const ready = (conditions: { type: string; status: string }[]) => {
      const s = computePodStatus({ ...base, pod: gated(conditions), state: { sandboxes: [], containers: [c({})] } });
      return { ready: s.conditions?.find((x) => x.type === 'Ready'), kept: s.conditions?.filter((x) => x.type.startsWith('x/')).map((x) => `${x.type}=${x.status}`) };
    };
    expect(ready([])).toEqual({ ready: expect.objectContaining({ status: 'False', reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "x/one" does not exist., corresponding condition of pod readiness gate "x/two" does not exist.' }), kept: [] });
    expect(ready([{ type: 'x/one', status: 'True' }, { type: 'x/two', status: 'False' }])).toEqual({
      ready: expect.objectContaining({ status: 'False', message: 'the status of pod readiness gate "x/two" is not "True", but False' }), kept: ['x/one=True', 'x/two=False'] });
    expect(ready([{ type: 'x/one', status: 'True' }, { type: 'x/two', status: 'True' }]).ready).toMatchObject({ status: 'True' });
  });
});
