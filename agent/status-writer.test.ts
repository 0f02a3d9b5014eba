import { describe, expect, it } from 'vitest';
import type { PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { RestClient } from '../control/client/rest-client.js';
import { FakeTransport } from '../control/client/testing/fake-transport.js';
import { silentLogger } from '../control/util/log.js';
import { StatusWriter } from './status-writer.js';

const T0 = '2026-01-01T00:00:00Z';
const cond = (type: string, status: string): PodCondition => ({ type, status, lastTransitionTime: T0 });
const running = (ready: string, extra: PodCondition[] = []): PodStatus => ({
  phase: 'Running', podIP: '10.244.1.5',
  conditions: [cond('Initialized', 'True'), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', 'True'), ...extra],
});

function writer(): { t: FakeTransport; w: StatusWriter; patches: () => unknown[] } {
  const t = new FakeTransport();
  const w = new StatusWriter({ client: new RestClient(t), log: silentLogger() });
  return { t, w, patches: () => t.requests.filter((r) => r.method === 'PATCH').map((r) => r.body) };
}

describe('pod status writer', () => {
  it('writes a status once, not again while nothing changed', async () => {
    const { w, patches } = writer();
    const target = { namespace: 'default', name: 'web', current: { phase: 'Pending' } };
    expect(await w.write('u1', target, running('True'))).toBe(true);
    expect(await w.write('u1', { ...target, current: running('True') }, running('True'))).toBe(false);
    expect(patches()).toHaveLength(1);
  });

  it('writes Ready again when the API shows it False (the node controller marked it while the node was away)', async () => {
    const { w, patches } = writer();
    await w.write('u1', { namespace: 'default', name: 'web', current: { phase: 'Pending' } }, running('True'));
    const marked = running('False');
    expect(await w.write('u1', { namespace: 'default', name: 'web', current: marked }, running('True'))).toBe(true);
    expect(patches()).toHaveLength(2);
    expect(patches()[1]).toMatchObject({ status: { conditions: expect.arrayContaining([cond('Ready', 'True'), cond('ContainersReady', 'True')]) } });
  });

  it('leaves conditions that are not the node\'s to their owners', async () => {
    const { w, patches } = writer();
    await w.write('u1', { namespace: 'default', name: 'web', current: { phase: 'Pending' } }, running('True'));
    // the scheduler's and the taint manager's conditions differ: no reason to write
    const others = running('True', [cond('DisruptionTarget', 'True')]);
    others.conditions = others.conditions!.map((c) => (c.type === 'PodScheduled' ? { ...c, status: 'False' } : c));
    expect(await w.write('u1', { namespace: 'default', name: 'web', current: others }, running('True'))).toBe(false);
    expect(patches()).toHaveLength(1);
  });
});
