/**
 * Detached JWS as the bootstrap signer writes it into cluster-info (RFC 7515 compact form with the
 * payload left out): base64url({"alg":"HS256","kid":<token id>}) + ".." + base64url(HMAC-SHA256),
 * keyed by the token secret, over header "." base64url(content).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export function computeDetachedSignature(content: string, tokenId: string, tokenSecret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: tokenId }));
  const mac = createHmac('sha256', tokenSecret).update(`${header}.${b64url(content)}`).digest();
  return `${header}..${b64url(mac)}`;
}

/** Whether `signature` is the detached JWS of `content` under this token (constant-time compare). */
export function verifyDetachedSignature(signature: string, content: string, tokenId: string, tokenSecret: string): boolean {
  const want = Buffer.from(computeDetachedSignature(content, tokenId, tokenSecret));
  const got = Buffer.from(signature);
  return got.length === want.length && timingSafeEqual(got, want);
}
