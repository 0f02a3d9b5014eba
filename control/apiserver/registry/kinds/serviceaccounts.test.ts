import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../testing/test-server.js';
import type { TestServer } from '../../testing/test-server.js';

const SAS = '/api/v1/namespaces/default/serviceaccounts';
const sa = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name }, ...extra });

describe('ServiceAccount storage', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  it('keeps only the name of each secret reference, on create and on update', async () => {
    const created = await s.request('POST', SAS, sa('builder', {
      secrets: [{ name: 'a', namespace: 'other', kind: 'Secret', uid: 'u' }], imagePullSecrets: [{ name: 'reg' }], automountServiceAccountToken: false,
    }));
    expect(created.status, created.text).toBe(201);
    expect(created.body['secrets']).toEqual([{ name: 'a' }]);
    expect(created.body['imagePullSecrets']).toEqual([{ name: 'reg' }]);
    expect(created.body['automountServiceAccountToken']).toBe(false);
    const updated = await s.request('PUT', `${SAS}/builder`, { ...created.body, secrets: [{ name: 'b', namespace: 'x', fieldPath: 'f' }] });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body['secrets']).toEqual([{ name: 'b' }]);
  });

  it('refuses a name that is no DNS subdomain, with upstream cause', async () => {
    const r = await s.request('POST', SAS, sa('Bad_Name'));
    expect(r.status).toBe(422);
    expect(r.body['message']).toMatch(/^ServiceAccount "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });
});
