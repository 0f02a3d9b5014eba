/**
 * The token string itself: "<id>.<secret>", the id ([a-z0-9]{6}) public, the secret ([a-z0-9]{16})
 * private. Generated from crypto randomness without modulo bias (control/pki/tokens.ts).
 */
import { BOOTSTRAP_TOKEN_PATTERN, generateBootstrapToken } from '../pki/tokens.js';
import { TOKEN_SECRET_PREFIX } from '../api/bootstrap-token.js';

export interface TokenString { id: string; secret: string }

export const TOKEN_ID_PATTERN = /^[a-z0-9]{6}$/;
export const TOKEN_PATTERN_TEXT = '[a-z0-9]{6}.[a-z0-9]{16}';

export const isValidTokenId = (s: string): boolean => TOKEN_ID_PATTERN.test(s);

/** The id and secret of a well-formed token; undefined for anything else. */
export function parseToken(s: string): TokenString | undefined {
  const m = BOOTSTRAP_TOKEN_PATTERN.exec(s);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export const formatToken = (t: TokenString): string => `${t.id}.${t.secret}`;

export function generateToken(): TokenString {
  return parseToken(generateBootstrapToken())!;
}

/** `bootstrap-token-<id>`. */
export const tokenSecretName = (id: string): string => TOKEN_SECRET_PREFIX + id;
