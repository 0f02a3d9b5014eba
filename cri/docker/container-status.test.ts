import { describe, expect, it } from 'vitest';
import type { ContainerInspect, ContainerState, ContainerSummary } from './engine/types.js';
import { containerFromListInfo, exitReason, statusFromInspect, toContainerState } from './container-status.js';

const labels = {
  'io.kubernetes.docker.type': 'container', 'io.tinykube.runtime-scope': 's', 'io.kubernetes.sandbox.id': 'sb1',
  'io.kubernetes.container.name': 'app', 'io.tinykube.attempt': '3', 'io.kubernetes.pod.uid': 'u1',
  'io.kubernetes.container.logpath': '/logs/app/3.log', 'annotation.a': 'b', team: 'x',
};
const state = (s: Partial<ContainerState>): ContainerState => ({
  Status: 'exited', Running: false, OOMKilled: false, Pid: 0, ExitCode: 0, Error: '',
  StartedAt: '2026-11-21T23:11:07.484211664Z', FinishedAt: '2026-11-21T23:11:08.5Z', ...s,
});

describe('container status mapping', () => {
  it.each([['created', 'CONTAINER_CREATED'], ['running', 'CONTAINER_RUNNING'], ['exited', 'CONTAINER_EXITED'], ['dead', 'CONTAINER_EXITED'], ['removing', 'CONTAINER_UNKNOWN']])(
    '%s → %s', (d, c) => expect(toContainerState(d)).toBe(c));

  it.each([
    [{ OOMKilled: true, ExitCode: 137 }, 'OOMKilled'],
    [{ ExitCode: 0 }, 'Completed'],
    [{ ExitCode: 1 }, 'Error'],
    [{ ExitCode: 127, StartedAt: '0001-01-01T00:00:00Z' }, 'ContainerCannotRun'],
  ] as const)('reason of %j is %s', (s, reason) => expect(exitReason('CONTAINER_EXITED', state(s))).toBe(reason));

  it('never reports finishedAt before startedAt', () => {
    const info = { Id: 'c', Created: '', Image: '', State: state({ FinishedAt: '2026-11-21T23:11:07.4Z' }), Config: { Image: 'i', Labels: labels } };
    const s = statusFromInspect(info as unknown as ContainerInspect);
    expect(s.finishedAt).toBe(s.startedAt);
  });

  it('has no reason while running', () => expect(exitReason('CONTAINER_RUNNING', state({ Status: 'running' }))).toBe(''));

  it('builds a ContainerStatus from inspect', () => {
    const info = {
      Id: 'c1', Created: '2026-11-21T23:11:07.000000001Z', Image: 'sha256:abc', State: state({ ExitCode: 2, Error: 'boom' }),
      Config: { Image: 'tinykube/web:1', Labels: labels },
    } as unknown as ContainerInspect;
    const s = statusFromInspect(info);
    expect(s).toMatchObject({
      id: 'c1', podSandboxId: 'sb1', metadata: { name: 'app', attempt: 3 }, image: { image: 'tinykube/web:1' }, imageRef: 'sha256:abc',
      state: 'CONTAINER_EXITED', exitCode: 2, reason: 'Error', message: 'boom', logPath: '/logs/app/3.log',
      labels: { 'io.kubernetes.container.name': 'app', 'io.kubernetes.pod.uid': 'u1', team: 'x' }, annotations: { a: 'b' },
    });
    expect(s.startedAt).toBe(Date.parse('2026-11-21T23:11:07Z') * 1e6 + 484211664);
    expect(s.finishedAt).toBe(Date.parse('2026-11-21T23:11:08.5Z') * 1e6);
    expect(s.createdAt).toBeGreaterThan(0);
  });

  it('builds a Container from a docker ps row', () => {
    const c = containerFromListInfo({ Id: 'c1', Image: 'img', ImageID: 'sha256:1', State: 'running', Created: 1700000000, Labels: labels } as unknown as ContainerSummary);
    expect(c).toMatchObject({ id: 'c1', podSandboxId: 'sb1', state: 'CONTAINER_RUNNING', createdAt: 1700000000e9, imageRef: 'sha256:1' });
  });
});
