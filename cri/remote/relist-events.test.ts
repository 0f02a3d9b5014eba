import { describe, expect, it } from 'vitest';
import type { Container, ContainerState } from '../types.js';
import { diffContainers, relistEvents } from './relist-events.js';

const c = (id: string, state: ContainerState, uid?: string): Container => ({
  id, podSandboxId: `sb-${id}`, metadata: { name: id, attempt: 0 }, image: { image: 'i' }, imageRef: 'r', state, createdAt: 1,
  labels: uid === undefined ? {} : { 'io.kubernetes.pod.uid': uid }, annotations: {},
});
const types = (cs: Container[], prev = new Map()) => diffContainers(prev, cs).events.map((e) => `${e.containerId}:${e.type}`);

describe('diffContainers', () => {
  it('first sight: created, plus started/stopped as far as the state went', () => {
    expect(types([c('a', 'CONTAINER_CREATED'), c('b', 'CONTAINER_RUNNING'), c('x', 'CONTAINER_EXITED')]))
      .toEqual(['a:created', 'b:created', 'b:started', 'x:created', 'x:started', 'x:stopped']);
  });

  it('transitions between lists, and vanished containers are deleted with their last sandbox and pod uid', () => {
    const { seen } = diffContainers(new Map(), [c('a', 'CONTAINER_CREATED'), c('b', 'CONTAINER_RUNNING', 'u1'), c('d', 'CONTAINER_CREATED')]);
    const d = diffContainers(seen, [c('a', 'CONTAINER_EXITED'), c('d', 'CONTAINER_RUNNING')]);
    expect(d.events).toEqual([
      { containerId: 'a', podSandboxId: 'sb-a', type: 'started' },
      { containerId: 'a', podSandboxId: 'sb-a', type: 'stopped' },
      { containerId: 'd', podSandboxId: 'sb-d', type: 'started' },
      { containerId: 'b', podSandboxId: 'sb-b', podUid: 'u1', type: 'deleted' },
    ]);
    expect(diffContainers(d.seen, [c('a', 'CONTAINER_EXITED'), c('d', 'CONTAINER_RUNNING')]).events).toEqual([]);
  });
});

describe('relistEvents', () => {
  it('takes the first list as the baseline, reports changes, survives a failed list and ends on abort', async () => {
    const lists: (Container[] | Error)[] = [[c('old', 'CONTAINER_RUNNING')], new Error('socket'), [c('old', 'CONTAINER_RUNNING'), c('new', 'CONTAINER_RUNNING')]];
    const errors: unknown[] = [];
    const ac = new AbortController();
    const seen: string[] = [];
    let i = 0;
    const list = async (): Promise<Container[]> => {
      const next = lists[Math.min(i++, lists.length - 1)];
      if (next instanceof Error) throw next;
      return next ?? [];
    };
    for await (const e of relistEvents({ list, intervalMs: 5, onError: (e) => errors.push(e) }, ac.signal)) {
      seen.push(`${e.containerId}:${e.type}`);
      if (seen.length === 2) ac.abort();
    }
    expect(seen).toEqual(['new:created', 'new:started']);
    expect(errors).toHaveLength(1);
  });
});
