import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forbidden } from '../../api/status.js';
import { silentLogger } from '../../util/log.js';
import type { UserInfo } from '../auth.js';
import { forbiddenMessage } from '../authorize.js';
import type { Authorizer } from '../authz/authorizer.js';
import { createNodeProxy } from './node-proxy.js';
import type { ObjectGetter } from './stream-target.js';

const alice: UserInfo = { name: 'alice', groups: ['system:authenticated'] };
const nothing: ObjectGetter = { get: async () => { throw new Error('not reached'); } };

/** Runs one exec upgrade through the proxy and returns what was written back on the socket. */
async function upgrade(headers: Record<string, string[]>, allowImpersonation: boolean, who: UserInfo | null = alice): Promise<{ text: string; asked: string[] }> {
  const asked: string[] = [];
  const authorizer = {
    async authorize(u: UserInfo, a: Parameters<Authorizer['authorize']>[1]) {
      asked.push(`${u.name}:${a.verb}`);
      if (a.verb === 'impersonate' && allowImpersonation) return undefined;
      return forbidden(forbiddenMessage(u, a));
    },
  } as unknown as Authorizer;
  const proxy = createNodeProxy({ objects: nothing, clientCert: { cert: '', key: '' }, caCertPem: '', log: silentLogger() });
  const socket = new PassThrough();
  const chunks: Buffer[] = [];
  socket.on('data', (d: Buffer) => chunks.push(d));
  const ended = new Promise<void>((r) => socket.on('finish', () => r()));
  const req = {
    method: 'GET', url: '/api/v1/namespaces/ns/pods/p/exec?command=ls&stdout=true',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(', ')])), headersDistinct: headers, socket: {},
  } as unknown as IncomingMessage;
  proxy.upgrade(req, socket, Buffer.alloc(0), { authenticator: { authenticate: async () => who ?? undefined }, authorizer });
  await ended;
  return { text: Buffer.concat(chunks).toString(), asked };
}

describe('node proxy upgrades: impersonation as the request hook does it', () => {
  it('a refused impersonation is the 403 before anything is proxied', async () => {
    const r = await upgrade({ 'impersonate-user': ['bob'] }, false);
    expect(r.text).toMatch(/^HTTP\/1.1 403 Forbidden\r\n/);
    expect(r.text).toContain('users \\"bob\\" is forbidden: User \\"alice\\" cannot impersonate resource \\"users\\" in API group \\"\\" at the cluster scope');
    expect(r.asked).toEqual(['alice:impersonate']);
  });

  it('an allowed impersonation makes the request the other user\'s', async () => {
    const r = await upgrade({ 'impersonate-user': ['bob'], 'impersonate-group': ['devs'] }, true);
    expect(r.asked).toEqual(['alice:impersonate', 'alice:impersonate', 'bob:get']);
    expect(r.text).toContain('User \\"bob\\" cannot get resource \\"pods/exec\\"');
  });

  it('no credentials at all is system:anonymous, whom the authorizer refuses; a bad credential is a 401', async () => {
    const anonymous = await upgrade({}, false, null);
    expect(anonymous.asked).toEqual(['system:anonymous:get']);
    expect(anonymous.text).toMatch(/^HTTP\/1.1 403 Forbidden\r\n/);
    const bad = await upgrade({ authorization: ['Bearer nope'] }, false, null);
    expect(bad.asked).toEqual([]);
    expect(bad.text).toMatch(/^HTTP\/1.1 401 Unauthorized\r\n/);
  });
});
