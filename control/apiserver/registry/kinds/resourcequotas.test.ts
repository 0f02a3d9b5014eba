import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../testing/test-server.js';
import type { TestServer } from '../../testing/test-server.js';

const NS = '/api/v1/namespaces/default';
const pod = (name: string, resources?: Record<string, unknown>) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'i', ...(resources ? { resources } : {}) }] },
});

describe('ResourceQuota and LimitRange through the API', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  it('starts a quota with an empty status and enforces what /status says, charging each create', async () => {
    const hard = { pods: '1' };
    const created = await s.request('POST', `${NS}/resourcequotas`, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard }, status: { hard, used: { pods: '1' } } });
    expect(created.status, created.text).toBe(201);
    expect(created.body['status']).toEqual({});
    const st = await s.request('PUT', `${NS}/resourcequotas/q/status`, { ...created.body, status: { hard, used: { pods: '0' } } });
    expect(st.status, st.text).toBe(200);
    expect((await s.request('POST', `${NS}/pods`, pod('a'))).status).toBe(201);
    expect((await s.request('GET', `${NS}/resourcequotas/q`)).body['status']).toEqual({ hard, used: { pods: '1' } });
    const refused = await s.request('POST', `${NS}/pods`, pod('b'));
    expect(refused.status).toBe(403);
    expect(refused.body['message']).toBe('pods "b" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1');
  });

  it('stores LimitRange defaults and applies them to new pods', async () => {
    const lr = await s.request('POST', `${NS}/limitranges`, { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' },
      spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { memory: '10Mi' } }] } });
    expect(lr.status, lr.text).toBe(201);
    expect((lr.body['spec'] as { limits: unknown[] }).limits[0]).toEqual({
      type: 'Container', max: { cpu: '1' }, min: { memory: '10Mi' }, default: { cpu: '1' }, defaultRequest: { cpu: '1', memory: '10Mi' },
    });
    const p = await s.request('POST', `${NS}/pods`, pod('a'));
    expect(p.status, p.text).toBe(201);
    expect((p.body['spec'] as { containers: Array<{ resources: unknown }> }).containers[0]?.resources).toEqual({ limits: { cpu: '1' }, requests: { cpu: '1', memory: '10Mi' } });
    const big = await s.request('POST', `${NS}/pods`, pod('b', { limits: { cpu: '2' } }));
    expect(big.status).toBe(403);
    expect(big.body['message']).toBe('pods "b" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });
});
