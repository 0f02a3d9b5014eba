import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { RestClient } from '../control/client/rest-client.js';
import type { Transport } from '../control/client/transport.js';
import { TokenManager, requiresRefresh } from './token-manager.js';
import type { TokenRequestFor } from './token-manager.js';

/** A token endpoint that numbers its tokens and records what it was asked. */
function fakeServer(now: () => number) {
  const asked: Array<{ path: string; body: Record<string, unknown> }> = [];
  let fail = false;
  const transport: Transport = {
    async request(_method, path, body) {
      const tr = JSON.parse(body!.toString('utf8')) as { spec: { expirationSeconds: number } };
      asked.push({ path, body: tr as unknown as Record<string, unknown> });
      if (fail) return { status: 403, body: Buffer.from(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'nope', reason: 'Forbidden', code: 403 })) };
      const exp = new Date(now() + tr.spec.expirationSeconds * 1000).toISOString();
      return { status: 201, body: Buffer.from(JSON.stringify({ ...tr, status: { token: `t${asked.length}`, expirationTimestamp: exp } })) };
    },
    stream: () => Promise.reject(new Error('no streams')),
  };
  return { asked, client: new RestClient(transport), failing: (f: boolean) => { fail = f; } };
}

const req: TokenRequestFor = { namespace: 'team', serviceAccount: 'runner', audience: 'vault', expirationSeconds: 3600, pod: { name: 'p', uid: 'u1' } };

describe('TokenManager', () => {
  it('asks with a TokenRequest bound to the pod, then serves the cache until 80% of the lifetime', async () => {
    let t = Date.parse('2026-12-05T09:00:00Z');
    const srv = fakeServer(() => t);
    const m = new TokenManager({ client: srv.client, clock: { now: () => new Date(t) }, log: pino({ level: 'silent' }), jitterMs: () => 0 });
    expect(await m.token(req)).toBe('t1');
    expect(srv.asked[0]).toEqual({
      path: '/api/v1/namespaces/team/serviceaccounts/runner/token',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { audiences: ['vault'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u1' } } },
    });
    t += 2879_000;
    expect(await m.token(req)).toBe('t1');
    t += 2_000; // past 80% of 3600 s
    expect(await m.token(req)).toBe('t2');
    expect(await m.token({ ...req, audience: undefined })).toBe('t3'); // another key
    expect((srv.asked[2]!.body['spec'] as { audiences: string[] }).audiences).toEqual([]);
  });

  it('keeps a token that has not expired when a refresh fails; without one the failure is the error', async () => {
    let t = 0;
    const srv = fakeServer(() => t);
    const m = new TokenManager({ client: srv.client, clock: { now: () => new Date(t) }, log: pino({ level: 'silent' }), jitterMs: () => 0 });
    expect(await m.token(req)).toBe('t1');
    srv.failing(true);
    t = 3000_000;
    expect(await m.token(req)).toBe('t1');
    t = 3600_000; // expired: dropped
    await expect(m.token(req)).rejects.toThrow('failed to fetch token: nope');
    srv.failing(false);
    expect(await m.token(req)).toBe('t4');
    m.forgetPod('u1');
    expect(await m.token(req)).toBe('t5');
  });

  it('refreshes a long-lived token after 24 h', () => {
    const year = 365 * 24 * 3600;
    const issued = 0;
    const c = { expiresAtMs: issued + year * 1000, expirationSeconds: year };
    expect(requiresRefresh(c, 23 * 3600_000, 0)).toBe(false);
    expect(requiresRefresh(c, 24 * 3600_000 + 1, 0)).toBe(true);
    expect(requiresRefresh(c, 24 * 3600_000 - 5_000, 10_000)).toBe(true);
  });
});
