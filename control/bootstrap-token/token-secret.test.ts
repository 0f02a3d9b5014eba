import type { Secret } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { buildTokenSecret, expirationOf, hasUsage, parseExtraGroups, parseTokenSecret, secretValue } from './token-secret.js';

const token = { id: 'abcdef', secret: '0123456789abcdef' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const NOW = new Date('2026-01-01T00:00:00Z');

describe('token Secrets', () => {
  it('builds upstream’s Secret: name, namespace, type, base64 data', () => {
    const s = buildTokenSecret({
      token, description: 'for node-1', expires: new Date('2026-01-02T00:00:00.123Z'),
      usages: ['authentication', 'signing'], groups: ['system:bootstrappers:tinykube:default-node-token'],
    });
    expect(s.metadata).toEqual({ name: 'bootstrap-token-abcdef', namespace: 'kube-system' });
    expect(s.type).toBe('bootstrap.kubernetes.io/token');
    expect(s.data).toEqual({
      'token-id': b64('abcdef'), 'token-secret': b64('0123456789abcdef'), description: b64('for node-1'), expiration: b64('2026-01-02T00:00:00Z'),
      'usage-bootstrap-authentication': b64('true'), 'usage-bootstrap-signing': b64('true'),
      'auth-extra-groups': b64('system:bootstrappers:tinykube:default-node-token'),
    });
  });

  it('leaves out what is not set (no expiration = never expires)', () => {
    const s = buildTokenSecret({ token, usages: ['signing'], groups: [] });
    expect(Object.keys(s.data ?? {}).sort()).toEqual(['token-id', 'token-secret', 'usage-bootstrap-signing']);
    expect(expirationOf(s, NOW)).toEqual({ expired: false });
  });

  it('parses back what it built', () => {
    const t = { token, description: 'd', expires: new Date('2026-01-02T00:00:00Z'), usages: ['authentication', 'signing'], groups: ['system:bootstrappers:a', 'system:bootstrappers:b'] };
    expect(parseTokenSecret(buildTokenSecret(t))).toEqual({ ok: true, token: t });
  });

  it('reads stringData as users write it, and ignores usages not "true"', () => {
    const s: Secret = {
      metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' }, type: 'bootstrap.kubernetes.io/token',
      stringData: { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'yes',
        expiration: '2026-01-01T05:00:00+02:00', 'auth-extra-groups': 'system:bootstrappers:x,system:bootstrappers:x' },
    };
    expect(secretValue(s, 'token-id')).toBe('abcdef');
    expect(hasUsage(s, 'authentication')).toBe(true);
    expect(hasUsage(s, 'signing')).toBe(false);
    const p = parseTokenSecret(s);
    expect(p.ok && p.token).toMatchObject({ usages: ['authentication'], groups: ['system:bootstrappers:x'], expires: new Date('2026-01-01T03:00:00Z') });
  });

  it.each([
    ['wrong type', { type: 'Opaque' }, /not of type/],
    ['name not matching the id', { metadata: { name: 'bootstrap-token-zzzzzz', namespace: 'kube-system' } }, /bootstrap-token-\(token-id\)/],
    ['bad id', { stringData: { 'token-id': 'ABCDEF', 'token-secret': '0123456789abcdef' } }, /token-id/],
    ['no secret', { stringData: { 'token-id': 'abcdef' } }, /token-secret/],
    ['bad expiration', { stringData: { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', expiration: 'tomorrow' } }, /expiration/],
    ['bad group', { stringData: { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'auth-extra-groups': 'admins' } }, /admins/],
  ])('rejects %s', (_name, patch, reason) => {
    const s: Secret = {
      metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' }, type: 'bootstrap.kubernetes.io/token',
      stringData: { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef' }, ...patch,
    };
    const p = parseTokenSecret(s);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toMatch(reason);
  });

  it('judges expiry; an unparseable expiration counts as expired', () => {
    const at = (expiration: string): Secret => ({ stringData: { expiration } });
    expect(expirationOf(at('2026-01-01T00:00:01Z'), NOW)).toEqual({ expired: false, expires: new Date('2026-01-01T00:00:01Z') });
    expect(expirationOf(at('2026-01-01T00:00:00Z'), NOW)).toEqual({ expired: true, unparseable: false });
    expect(expirationOf(at('2025-12-31T23:00:00Z'), NOW)).toEqual({ expired: true, unparseable: false });
    expect(expirationOf(at('2027-01-01'), NOW)).toEqual({ expired: true, unparseable: true });
  });

  it('validates extra groups', () => {
    expect(parseExtraGroups('')).toEqual([]);
    expect(parseExtraGroups('system:bootstrappers:a-b:c1,system:bootstrappers:a-b:c1')).toEqual(['system:bootstrappers:a-b:c1']);
    expect(parseExtraGroups('system:bootstrappers:')).toMatch(/does not match/);
    expect(parseExtraGroups('system:masters')).toMatch(/system:masters/);
  });
});
