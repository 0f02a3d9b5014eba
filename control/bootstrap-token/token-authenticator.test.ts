import type { IncomingMessage } from 'node:http';
import type { Secret } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../util/clock.js';
import { BootstrapTokenAuthenticator, authenticateBootstrapToken } from './token-authenticator.js';
import { BootstrapTokenCache } from './token-cache.js';
import { buildTokenSecret } from './token-secret.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const BEARER = 'abcdef.0123456789abcdef';
const secret = (over: { expires?: Date; usages?: string[]; groups?: string[] } = {}): Secret => buildTokenSecret({
  token: { id: 'abcdef', secret: '0123456789abcdef' }, usages: over.usages ?? ['authentication', 'signing'],
  groups: over.groups ?? ['system:bootstrappers:tinykube:default-node-token'], ...(over.expires ? { expires: over.expires } : {}),
});
const req = (authorization?: string) => ({ headers: authorization ? { authorization } : {} }) as unknown as IncomingMessage;

describe('bootstrap token authentication', () => {
  it('a valid token is system:bootstrap:<id> in system:bootstrappers, its extra groups and system:authenticated', () => {
    expect(authenticateBootstrapToken(BEARER, secret({ expires: new Date('2026-01-02T00:00:00Z') }), NOW)).toEqual({
      name: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:bootstrappers:tinykube:default-node-token', 'system:authenticated'],
    });
  });

  it.each([
    ['expired', BEARER, secret({ expires: new Date('2025-12-31T23:59:59Z') })],
    ['expiring right now', BEARER, secret({ expires: NOW })],
    ['the wrong secret', 'abcdef.0123456789abcdee', secret()],
    ['no authentication usage', BEARER, secret({ usages: ['signing'] })],
    ['no Secret', BEARER, undefined],
    ['not a token', 'abcdef', secret()],
    ['a Secret being deleted', BEARER, { ...secret(), metadata: { ...secret().metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }],
    ['a Secret of another type', BEARER, { ...secret(), type: 'Opaque' }],
    ['a token-id not matching', BEARER, { ...secret(), data: { ...secret().data, 'token-id': Buffer.from('zzzzzz').toString('base64') } }],
    ['a bad extra group', BEARER, secret({ groups: ['system:masters'] })],
  ])('rejects %s', (_name, bearer, s) => {
    expect(authenticateBootstrapToken(bearer, s, NOW)).toBeUndefined();
  });

  it('reads Authorization: Bearer from the request and the Secret from the cache', async () => {
    const cache = new BootstrapTokenCache();
    const auth = new BootstrapTokenAuthenticator({ secrets: cache, clock: new FakeClock(NOW) });
    expect(await auth.authenticate(req(`Bearer ${BEARER}`))).toBeUndefined();
    cache.observe(secret());
    expect((await auth.authenticate(req(`Bearer ${BEARER}`)))?.name).toBe('system:bootstrap:abcdef');
    expect((await auth.authenticate(req(`bearer  ${BEARER}`)))?.name).toBe('system:bootstrap:abcdef');
    expect(await auth.authenticate(req(`Basic ${BEARER}`))).toBeUndefined();
    expect(await auth.authenticate(req())).toBeUndefined();
    cache.observe({ ...secret(), type: 'Opaque' });
    expect(cache.size).toBe(0);
    cache.observe(secret());
    cache.forget(secret());
    expect(await auth.authenticate(req(`Bearer ${BEARER}`))).toBeUndefined();
  });

  it('the cache keeps only kube-system bootstrap token Secrets', () => {
    const cache = new BootstrapTokenCache();
    cache.observe({ ...secret(), metadata: { name: 'bootstrap-token-abcdef', namespace: 'default' } });
    cache.observe({ metadata: { name: 'other', namespace: 'kube-system' }, type: 'Opaque' });
    expect(cache.size).toBe(0);
    cache.observe(secret());
    expect(cache.get('abcdef')?.metadata?.name).toBe('bootstrap-token-abcdef');
  });
});
