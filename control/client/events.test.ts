import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { KubeObject } from '../api/object.js';
import { FakeClock } from '../util/clock.js';
import { createLogger, silentLogger } from '../util/log.js';
import { eventually } from '../../test/helpers/eventually.js';
import { EventRecorder } from './events.js';
import { RestClient } from './rest-client.js';
import { FakeTransport } from './testing/fake-transport.js';

const POD: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u-1', resourceVersion: '12' } };
const NODE: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', uid: 'u-n' } };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function setup(o: { host?: string } = {}) {
  const t = new FakeTransport();
  const clock = new FakeClock(T0);
  const rec = new EventRecorder({ client: new RestClient(t), component: 'kubelet', host: o.host, log: silentLogger(), clock });
  /** Waits until `n` requests were sent (event() returns before its request). */
  const sent = (n: number) => eventually(() => { expect(t.requests.length).toBe(n); return t.requests; });
  return { t, clock, rec, sent };
}

describe('EventRecorder', () => {
  it('creates a core/v1 Event about the object: reason, message, type, involvedObject, source, times', async () => {
    const { rec, sent } = setup({ host: 'node-a' });
    rec.event(POD, 'Warning', 'BackOff', 'Back-off restarting failed container');
    const [req] = await sent(1);
    expect(req).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/shop/events' });
    expect(req!.body).toMatchObject({
      apiVersion: 'v1', kind: 'Event', metadata: { namespace: 'shop' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'shop', uid: 'u-1', resourceVersion: '12' },
      reason: 'BackOff', message: 'Back-off restarting failed container', type: 'Warning', count: 1,
      firstTimestamp: '2026-01-01T12:00:00Z', lastTimestamp: '2026-01-01T12:00:00Z',
      source: { component: 'kubelet', host: 'node-a' }, reportingComponent: 'kubelet', reportingInstance: 'node-a',
    });
    expect((req!.body as KubeObject).metadata?.name).toMatch(/^web\.[0-9a-f]{16}$/);
  });

  it('an event about a cluster-scoped object goes to the default namespace; no host means no source.host', async () => {
    const { rec, sent } = setup();
    rec.event(NODE, 'Normal', 'NodeReady', 'Node node-a status is now: NodeReady');
    const [req] = await sent(1);
    expect(req!.path).toBe('/api/v1/namespaces/default/events');
    expect(req!.body).toMatchObject({ involvedObject: { kind: 'Node', name: 'node-a' }, source: { component: 'kubelet' }, reportingInstance: '' });
    expect((req!.body as { source: object }).source).not.toHaveProperty('host');
  });

  it('a repeat within ten minutes patches count and lastTimestamp of the same Event', async () => {
    const { t, clock, rec, sent } = setup();
    rec.event(POD, 'Normal', 'Pulled', 'Container image "busybox:1" already present on machine');
    await sent(1);
    clock.advance(60_000);
    rec.event(POD, 'Normal', 'Pulled', 'Container image "busybox:1" already present on machine');
    clock.advance(60_000);
    rec.event(POD, 'Normal', 'Pulled', 'Container image "busybox:1" already present on machine');
    const reqs = await sent(3);
    const name = (reqs[0]!.body as KubeObject).metadata?.name ?? '';
    expect(reqs.slice(1).map((r) => [r.method, r.path, r.headers['Content-Type'], r.body])).toEqual([
      ['PATCH', `/api/v1/namespaces/shop/events/${name}`, 'application/merge-patch+json', { count: 2, lastTimestamp: '2026-01-01T12:01:00Z' }],
      ['PATCH', `/api/v1/namespaces/shop/events/${name}`, 'application/merge-patch+json', { count: 3, lastTimestamp: '2026-01-01T12:02:00Z' }],
    ]);
    expect(t.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it.each([
    ['another message', (r: EventRecorder) => r.event(POD, 'Normal', 'Pulled', 'other')],
    ['another reason', (r: EventRecorder) => r.event(POD, 'Normal', 'Created', 'same')],
    ['another type', (r: EventRecorder) => r.event(POD, 'Warning', 'Pulled', 'same')],
    ['another object', (r: EventRecorder) => r.event({ ...POD, metadata: { ...POD.metadata, uid: 'u-2' } }, 'Normal', 'Pulled', 'same')],
  ])('%s is a new Event', async (_what, second) => {
    const { rec, sent } = setup();
    rec.event(POD, 'Normal', 'Pulled', 'same');
    second(rec);
    expect((await sent(2)).map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('a repeat after ten minutes is a new Event', async () => {
    const { clock, rec, sent } = setup();
    rec.event(POD, 'Normal', 'Pulled', 'same');
    clock.advance(10 * 60_000);
    rec.event(POD, 'Normal', 'Pulled', 'same');
    const reqs = await sent(2);
    expect(reqs.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect((reqs[1]!.body as KubeObject).metadata?.name).not.toBe((reqs[0]!.body as KubeObject).metadata?.name);
  });

  it('remembers at most 4096 recent events: the oldest is forgotten first', async () => {
    const { rec, sent } = setup();
    for (let i = 0; i <= 4096; i++) rec.event(POD, 'Normal', 'Tick', `m${i}`);
    rec.event(POD, 'Normal', 'Tick', 'm4096'); // still remembered: a patch
    rec.event(POD, 'Normal', 'Tick', 'm0'); // forgotten: a new Event
    const reqs = await sent(4099);
    expect(reqs.slice(-2).map((r) => r.method)).toEqual(['PATCH', 'POST']);
  });

  it('is best effort: a failed request is logged at debug and never thrown', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', destination: new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString()); cb(); } }) });
    const t = new FakeTransport();
    t.answer(500, { kind: 'Status', status: 'Failure', reason: 'InternalError', message: 'etcd down' });
    const rec = new EventRecorder({ client: new RestClient(t), component: 'scheduler', log });
    expect(() => rec.event(POD, 'Warning', 'FailedScheduling', '0/1 nodes are available')).not.toThrow();
    const entry = await eventually(() => {
      const l = lines.map((s) => JSON.parse(s) as { level: number; msg: string; reason?: string; err?: { message?: string } }).find((x) => x.msg === 'Failed to record event');
      expect(l).toBeDefined();
      return l!;
    });
    expect(entry).toMatchObject({ level: 20, reason: 'FailedScheduling', err: { message: 'etcd down' } });
  });
});
