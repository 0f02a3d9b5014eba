import { describe, expect, it } from 'vitest';
import type { Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { isTokenSecretOf, newTokenSecret, tokenSecretOwner, tokenSecretUpdate } from './token-secret.js';

const sa: ServiceAccount = { metadata: { namespace: 'ns', name: 'robot', uid: 'u1' } };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (o: Partial<Secret> = {}): Secret => ({
  type: 'kubernetes.io/service-account-token', metadata: { namespace: 'ns', name: 's', annotations: { 'kubernetes.io/service-account.name': 'robot' } }, ...o,
});

describe('token secrets', () => {
  it('belong to the ServiceAccount they name, and to its uid once recorded', () => {
    expect(tokenSecretOwner(secret())).toBe('robot');
    expect(tokenSecretOwner(secret({ type: 'Opaque' }))).toBeUndefined();
    expect(isTokenSecretOf(secret(), sa)).toBe(true);
    const old = secret({ metadata: { name: 's', annotations: { 'kubernetes.io/service-account.name': 'robot', 'kubernetes.io/service-account.uid': 'u0' } } });
    expect(isTokenSecretOf(old, sa)).toBe(false);
  });

  it('get what they lack: a token kept once there, ca.crt replaced when it differs', () => {
    const filled = tokenSecretUpdate(secret(), sa, { caCertPem: 'CA', token: () => 'T' })!;
    expect(filled.data).toEqual({ token: b64('T'), 'ca.crt': b64('CA'), namespace: b64('ns') });
    expect(filled.metadata?.annotations?.['kubernetes.io/service-account.uid']).toBe('u1');
    expect(tokenSecretUpdate(filled, sa, { caCertPem: 'CA', token: () => 'other' })).toBeUndefined();
    expect(tokenSecretUpdate(filled, sa, { caCertPem: 'CA2', token: () => 'other' })!.data).toEqual({ token: b64('T'), 'ca.crt': b64('CA2'), namespace: b64('ns') });
  });

  it('are named <sa>-token-<5>, cut to fit 63 characters', () => {
    expect(newTokenSecret(sa, 'abcde').metadata).toMatchObject({ name: 'robot-token-abcde', namespace: 'ns' });
    const long = newTokenSecret({ metadata: { namespace: 'ns', name: 'x'.repeat(63), uid: 'u' } }, 'abcde').metadata?.name ?? '';
    expect(long).toHaveLength(63);
    expect(long.endsWith('abcde')).toBe(true);
  });
});
