import { describe, expect, it } from 'vitest';
import { checkJwtTimes, decodeJwt, JwtError, signJwt, verifyJwtSignature } from './jwt.js';
import { generateServiceAccountKey } from './service-account-key.js';

const key = generateServiceAccountKey();
const other = generateServiceAccountKey();
const code = (f: () => void): string | undefined => {
  try { f(); return undefined; } catch (err) { return err instanceof JwtError ? err.code : 'other'; }
};

describe('jwt', () => {
  it('signs RS256 with kid and verifies with the same key only', () => {
    const token = signJwt({ iss: 'x', sub: 'y' }, key);
    const jwt = decodeJwt(token)!;
    expect(jwt.header).toEqual({ alg: 'RS256', kid: key.keyId });
    expect(jwt.claims).toEqual({ iss: 'x', sub: 'y' });
    expect(code(() => verifyJwtSignature(jwt, [key]))).toBeUndefined();
    expect(code(() => verifyJwtSignature(jwt, [other]))).toBe('InvalidSignature');
    expect(code(() => verifyJwtSignature(jwt, [{ ...other, keyId: key.keyId }]))).toBe('InvalidSignature');
  });

  it('refuses tampered claims and other algorithms', () => {
    const [h, , s] = signJwt({ iss: 'x', sub: 'y' }, key).split('.');
    const forged = decodeJwt(`${h}.${Buffer.from('{"iss":"x","sub":"admin"}').toString('base64url')}.${s}`)!;
    expect(code(() => verifyJwtSignature(forged, [key]))).toBe('InvalidSignature');
    const none = decodeJwt(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`)!;
    expect(code(() => verifyJwtSignature(none, [key]))).toBe('InvalidSignature');
  });

  it('decodes only compact JWTs with JSON object segments', () => {
    expect(decodeJwt('abc')).toBeUndefined();
    expect(decodeJwt('a.b.c')).toBeUndefined();
    expect(decodeJwt('abcdef.0123456789abcdef')).toBeUndefined();
    expect(decodeJwt(`${Buffer.from('[1]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`)).toBeUndefined();
  });

  it('checks exp, nbf and iat with a 60 s leeway', () => {
    const now = 1_000_000;
    expect(code(() => checkJwtTimes({ exp: now - 59, nbf: now + 59, iat: now + 59 }, now))).toBeUndefined();
    expect(code(() => checkJwtTimes({ exp: now - 61 }, now))).toBe('Expired');
    expect(code(() => checkJwtTimes({ nbf: now + 61 }, now))).toBe('NotValidYet');
    expect(code(() => checkJwtTimes({ iat: now + 61 }, now))).toBe('IssuedInTheFuture');
    expect(code(() => checkJwtTimes({}, now))).toBeUndefined();
  });
});
