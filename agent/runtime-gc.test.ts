import { describe, expect, it } from 'vitest';
import { FakeClock } from '../control/util/clock.js';
import { LogCapture } from '../control/util/testing/log-capture.js';
import { CriError } from '../cri/errors.js';
import { FakeRuntime } from '../cri/fake/fake-runtime.js';
import { planRemovals, RuntimeGarbageCollector } from './runtime-gc.js';

type State = 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_CREATED';
const ctr = (id: string, name: string, attempt: number, state: State, podSandboxId: string) =>
  ({ id, state, podSandboxId, createdAt: attempt, metadata: { name, attempt } });
const sb = (id: string, attempt: number, ready: boolean) =>
  ({ id, state: ready ? 'SANDBOX_READY' as const : 'SANDBOX_NOTREADY' as const, createdAt: attempt, metadata: { name: 'p', namespace: 'd', uid: 'u', attempt } });

describe('planRemovals', () => {
  it('a live pod keeps two instances per container, and every sandbox that still holds one, and the newest', () => {
    const r = planRemovals({
      sandboxes: [sb('s0', 0, false), sb('s1', 1, false), sb('s2', 2, true)],
      containers: [ctr('a0', 'app', 0, 'CONTAINER_EXITED', 's0'), ctr('a1', 'app', 1, 'CONTAINER_EXITED', 's1'), ctr('a2', 'app', 2, 'CONTAINER_RUNNING', 's2')],
    }, true);
    expect(r).toEqual({ containers: ['a0'], sandboxes: ['s0'] });
  });

  it('after a reboot a live pod keeps its dead sandbox while the previous container is kept', () => {
    const r = planRemovals({ sandboxes: [sb('s0', 0, false), sb('s1', 1, true)], containers: [ctr('a0', 'app', 0, 'CONTAINER_EXITED', 's0'), ctr('a1', 'app', 1, 'CONTAINER_RUNNING', 's1')] }, true);
    expect(r).toEqual({ containers: [], sandboxes: [] });
  });

  it('a live pod keeps its newest sandbox even when it is not ready (it is about to be replaced)', () => {
    expect(planRemovals({ sandboxes: [sb('s0', 0, false)], containers: [] }, true)).toEqual({ containers: [], sandboxes: [] });
  });

  it('a gone pod loses everything that does not run; a sandbox with a running container stays', () => {
    const r = planRemovals({
      sandboxes: [sb('s0', 0, false), sb('s1', 1, false)],
      containers: [ctr('a0', 'app', 0, 'CONTAINER_EXITED', 's0'), ctr('c1', 'side', 0, 'CONTAINER_CREATED', 's0'), ctr('a1', 'app', 1, 'CONTAINER_RUNNING', 's1')],
    }, false);
    expect(r).toEqual({ containers: ['a0', 'c1'], sandboxes: ['s0'] });
  });
});

describe('RuntimeGarbageCollector', () => {
  it('logs a failed removal, skips it while in backoff, retries it after, and forgets it once removed', async () => {
    const rt = new FakeRuntime();
    const id = await rt.runPodSandbox({ metadata: { name: 'p', namespace: 'd', uid: 'gone', attempt: 0 }, labels: { 'io.tinykube.managed': 'true', 'io.kubernetes.pod.uid': 'gone' }, annotations: {} } as never);
    await rt.stopPodSandbox(id);
    let fail = true;
    let tries = 0;
    const remove = rt.removePodSandbox.bind(rt);
    rt.removePodSandbox = async (x: string) => { tries++; if (fail) throw new CriError('Unknown', 'remove sandbox: device or resource busy'); await remove(x); };
    const clock = new FakeClock();
    const logs = new LogCapture();
    const gc = new RuntimeGarbageCollector({ runtime: rt, log: logs.log, clock, livePods: () => new Set(), retryInitialMs: 1000, retryMaxMs: 4000 });
    await gc.collect();
    expect(tries).toBe(1);
    expect(gc.pending).toEqual([id]);
    expect(logs.entries.find((e) => e['msg'] === 'Failed to remove pod sandbox; garbage collection retries it')).toMatchObject({ level: 40, retryInMs: 1000 });
    await gc.collect();
    expect(tries).toBe(1); // still in backoff
    clock.advance(1000);
    await gc.collect();
    expect(tries).toBe(2);
    clock.advance(1000);
    await gc.collect();
    expect(tries).toBe(2); // the delay doubled to 2 s
    clock.advance(1000);
    fail = false;
    await gc.collect();
    expect(tries).toBe(3);
    expect(rt.sandboxes.has(id)).toBe(false);
    expect(gc.pending).toEqual([]);
  });

  it('runs no pass before the live pods are known', async () => {
    const rt = new FakeRuntime();
    const id = await rt.runPodSandbox({ metadata: { name: 'p', namespace: 'd', uid: 'x', attempt: 0 }, labels: { 'io.tinykube.managed': 'true', 'io.kubernetes.pod.uid': 'x' }, annotations: {} } as never);
    await rt.stopPodSandbox(id);
    const gc = new RuntimeGarbageCollector({ runtime: rt, log: new LogCapture().log, clock: new FakeClock(), livePods: () => undefined });
    await gc.collect();
    expect(rt.sandboxes.has(id)).toBe(true);
  });

  it('removes the logs of a container (removeContainerLog) before the container, and a failure there does not keep the container', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    const sbId = await rt.runPodSandbox({ metadata: { name: 'p', namespace: 'd', uid: 'gone', attempt: 0 }, labels: { 'io.tinykube.managed': 'true', 'io.kubernetes.pod.uid': 'gone' }, annotations: {} } as never);
    const cId = await rt.createContainer(sbId, { metadata: { name: 'app', attempt: 0 }, image: { image: 'busybox:1' }, labels: { 'io.tinykube.managed': 'true', 'io.kubernetes.pod.uid': 'gone' }, annotations: {} } as never, {} as never);
    await rt.stopPodSandbox(sbId);
    const order: string[] = [];
    const remove = rt.removeContainer.bind(rt);
    rt.removeContainer = async (x: string) => { order.push(`container ${x}`); await remove(x); };
    const gc = new RuntimeGarbageCollector({
      runtime: rt, log: new LogCapture().log, clock: new FakeClock(), livePods: () => new Set(),
      removeContainerLog: (id) => { order.push(`logs ${id}`); return Promise.reject(new Error('EACCES')); },
    });
    await gc.collect();
    expect(order).toEqual([`logs ${cId}`, `container ${cId}`]);
    expect(rt.containers.has(cId)).toBe(false);
    expect(gc.pending).toEqual([]);
  });
});
