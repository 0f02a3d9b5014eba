/**
 * Compact JWS/JWT with RS256 over node:crypto (what ServiceAccount tokens are): sign, read the
 * unverified claims (to pick the issuer before any crypto), verify the signature, and check the
 * time claims with go-jose's leeway. Audience and issuer policy are the caller's.
 */
import { createSign, createVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

/** go-jose's DefaultLeeway: exp and nbf are allowed this much clock skew. */
export const JWT_LEEWAY_SECONDS = 60;

export const JWT_ERROR_CODES = ['Malformed', 'InvalidSignature', 'Expired', 'NotValidYet', 'IssuedInTheFuture'] as const;
export type JwtErrorCode = (typeof JWT_ERROR_CODES)[number];

/** Error with a stable code; callers switch on `code`. */
export class JwtError extends Error {
  constructor(readonly code: JwtErrorCode, message: string) {
    super(message);
    this.name = 'JwtError';
  }
}

const b64json = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Signs `claims` with RS256; the header carries `kid`. */
export function signJwt(claims: JwtClaims, key: { privateKey: KeyObject; keyId: string }): string {
  const input = `${b64json({ alg: 'RS256', kid: key.keyId })}.${b64json(claims)}`;
  const sig = createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url');
  return `${input}.${sig}`;
}

export interface DecodedJwt { header: JwtClaims; claims: JwtClaims; signingInput: string; signature: Buffer }

const B64URL = /^[A-Za-z0-9_-]*$/;

function parseSegment(seg: string): JwtClaims | undefined {
  if (!B64URL.test(seg)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JwtClaims) : undefined;
  } catch {
    return undefined; // not JSON: not a JWT
  }
}

/** PURE. The header and claims of a compact JWT, unverified; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h = '', c = '', s = ''] = parts;
  const header = parseSegment(h);
  const claims = parseSegment(c);
  if (!header || !claims || !B64URL.test(s)) return undefined;
  return { header, claims, signingInput: `${h}.${c}`, signature: Buffer.from(s, 'base64url') };
}

/** Checks the RS256 signature against any of the keys (the one whose id the header names first). */
export function verifyJwtSignature(jwt: DecodedJwt, keys: readonly { publicKey: KeyObject; keyId: string }[]): void {
  if (jwt.header['alg'] !== 'RS256') throw new JwtError('InvalidSignature', `unexpected signature algorithm "${String(jwt.header['alg'])}"`);
  const kid = jwt.header['kid'];
  const candidates = typeof kid === 'string' && kid !== '' ? keys.filter((k) => k.keyId === kid) : keys;
  if (candidates.length === 0) throw new JwtError('InvalidSignature', 'invalid signature, no keys found');
  const ok = candidates.some((k) => createVerify('RSA-SHA256').update(jwt.signingInput).verify(k.publicKey, jwt.signature));
  if (!ok) throw new JwtError('InvalidSignature', 'square/go-jose: error in cryptographic primitive');
}

const numeric = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** PURE. exp, nbf and iat against `nowSeconds` with the leeway (go-jose's Claims.Validate). */
export function checkJwtTimes(claims: JwtClaims, nowSeconds: number, leeway = JWT_LEEWAY_SECONDS): void {
  const nbf = numeric(claims['nbf']);
  const exp = numeric(claims['exp']);
  const iat = numeric(claims['iat']);
  if (nbf !== undefined && nowSeconds + leeway < nbf) throw new JwtError('NotValidYet', 'service account token is not valid yet');
  if (exp !== undefined && nowSeconds - leeway > exp) throw new JwtError('Expired', 'service account token has expired');
  if (iat !== undefined && nowSeconds + leeway < iat) throw new JwtError('IssuedInTheFuture', 'service account token claims could not be validated due to unexpected validation error');
}
