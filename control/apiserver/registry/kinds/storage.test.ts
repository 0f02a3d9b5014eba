import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../util/clock.js';
import { startTestServer } from '../../testing/test-server.js';
import type { TestServer } from '../../testing/test-server.js';

const MERGE = { 'content-type': 'application/merge-patch+json' };
const PV = '/api/v1/persistentvolumes';

describe('PersistentVolume lastPhaseTransitionTime', () => {
  let s: TestServer;
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  beforeEach(async () => { s = await startTestServer({ clock }); });
  afterEach(async () => { await s.close(); });

  it('is set at creation and moves only when /status changes the phase', async () => {
    const created = await s.request('POST', PV, { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv' } }, status: { phase: 'Bound' } });
    expect(created.status, created.text).toBe(201);
    expect(created.body['status']).toEqual({ phase: 'Pending', lastPhaseTransitionTime: '2026-01-01T00:00:00Z' });
    clock.advance(60_000);
    const same = await s.request('PATCH', `${PV}/pv/status`, { status: { phase: 'Pending', message: 'waiting', lastPhaseTransitionTime: null } }, MERGE);
    expect(same.body['status']).toEqual({ phase: 'Pending', message: 'waiting', lastPhaseTransitionTime: '2026-01-01T00:00:00Z' });
    clock.advance(60_000);
    const moved = await s.request('PATCH', `${PV}/pv/status`, { status: { phase: 'Available' } }, MERGE);
    expect(moved.body['status']).toMatchObject({ phase: 'Available', lastPhaseTransitionTime: '2026-01-01T00:02:00Z' });
    const spec = await s.request('PATCH', `${PV}/pv/status`, { spec: { persistentVolumeReclaimPolicy: 'Delete' } }, MERGE);
    expect((spec.body['spec'] as Record<string, unknown>)['persistentVolumeReclaimPolicy']).toBe('Retain');
  });
});

describe('PersistentVolumeClaim data sources on create', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  it('copies dataSource into dataSourceRef and a same-namespace dataSourceRef into dataSource', async () => {
    const claim = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } });
    const a = await s.request('POST', '/api/v1/namespaces/default/persistentvolumeclaims', claim('a', { dataSource: { kind: 'PersistentVolumeClaim', name: 'src' } }));
    expect(a.status, a.text).toBe(201);
    expect(a.body['spec']).toMatchObject({ dataSourceRef: { kind: 'PersistentVolumeClaim', name: 'src' } });
    const b = await s.request('POST', '/api/v1/namespaces/default/persistentvolumeclaims', claim('b', { dataSourceRef: { apiGroup: 'x.io', kind: 'Pop', name: 'p' } }));
    expect(b.body['spec']).toMatchObject({ dataSource: { apiGroup: 'x.io', kind: 'Pop', name: 'p' } });
  });
});
