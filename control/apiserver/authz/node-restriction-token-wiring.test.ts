import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerAuth } from '../testing/header-auth.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';


const NS = '/api/v1/namespaces/default';
const pod = (name: string, nodeName: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { nodeName, serviceAccountName: 'default', containers: [{ name: 'c', image: 'busybox' }] },
});
const tokenRequest = (podName: string, uid: string) => ({
  apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
  spec: { audiences: [], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: podName, uid } },
});

describe('the API server wraps whatever serviceaccounts/token handler it is given with NodeRestriction', () => {
  let s: TestServer;
  const uids: Record<string, string> = {};
  beforeEach(async () => {
    // a stand-in token handler: the restriction in front of it is what is tested
    s = await startTestServer({ authenticator: headerAuth, createOnly: () => ({ '/serviceaccounts/token': async () => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', status: { token: 't' } }) }) });
    for (const [name, node] of [['p1', 'n1'], ['p2', 'n2']] as const) {
      const res = await s.request('POST', `${NS}/pods`, pod(name, node));
      expect(res.status, res.text).toBe(201);
      uids[name] = String(res.body.metadata?.['uid']);
    }
  });
  afterEach(async () => { await s.close(); });

  it('lets a node have a token bound to its own pod only', async () => {
    const own = await s.request('POST', `${NS}/serviceaccounts/default/token`, tokenRequest('p1', uids['p1']!), { 'x-node': 'n1' });
    expect(own.status, own.text).toBe(201);
    const other = await s.request('POST', `${NS}/serviceaccounts/default/token`, tokenRequest('p2', uids['p2']!), { 'x-node': 'n1' });
    expect(other.status, other.text).toBe(403);
    const unbound = await s.request('POST', `${NS}/serviceaccounts/default/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }, { 'x-node': 'n1' });
    expect(unbound.status, unbound.text).toBe(403);
  });
});
