/**
 * Bootstrap token authentication (upstream plugin/pkg/auth/authenticator/token/bootstrap):
 * `Authorization: Bearer <id>.<secret>` is user `system:bootstrap:<id>` in `system:bootstrappers`
 * plus the token's extra groups, when kube-system/bootstrap-token-<id> exists, is not being
 * deleted, holds the same secret (constant-time compare), has not expired and carries
 * `usage-bootstrap-authentication: "true"`. Reads from a synchronous lookup (BootstrapTokenCache).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Authenticator, UserInfo } from '../apiserver/auth.js';
import { systemClock } from '../util/clock.js';
import type { Clock } from '../util/clock.js';
import { BOOTSTRAP_USER_PREFIX, BOOTSTRAPPERS_GROUP, KEY_EXTRA_GROUPS, KEY_TOKEN_ID, KEY_TOKEN_SECRET, TOKEN_SECRET_TYPE } from '../api/bootstrap-token.js';
import { expirationOf, hasUsage, parseExtraGroups, secretValue } from './token-secret.js';
import { parseToken } from './token.js';

/** Token Secrets by token id (kube-system/bootstrap-token-<id>). */
export interface TokenSecretLookup { get(tokenId: string): Secret | undefined }

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** PURE: the user a bearer token is, given the Secret stored for its id (or undefined). */
export function authenticateBootstrapToken(bearer: string, secret: Secret | undefined, now: Date): UserInfo | undefined {
  const t = parseToken(bearer);
  if (!t || !secret || secret.metadata?.deletionTimestamp) return undefined;
  if (secret.type !== TOKEN_SECRET_TYPE) return undefined;
  if (!sameSecret(secretValue(secret, KEY_TOKEN_SECRET) ?? '', t.secret)) return undefined;
  if (secretValue(secret, KEY_TOKEN_ID) !== t.id) return undefined;
  if (expirationOf(secret, now).expired) return undefined;
  if (!hasUsage(secret, 'authentication')) return undefined;
  const extra = parseExtraGroups(secretValue(secret, KEY_EXTRA_GROUPS) ?? '');
  if (typeof extra === 'string') return undefined;
  return { name: BOOTSTRAP_USER_PREFIX + t.id, groups: [BOOTSTRAPPERS_GROUP, ...extra.filter((g) => g !== BOOTSTRAPPERS_GROUP), 'system:authenticated'] };
}

export class BootstrapTokenAuthenticator implements Authenticator {
  private readonly clock: Clock;
  constructor(private readonly o: { secrets: TokenSecretLookup; clock?: Clock }) { this.clock = o.clock ?? systemClock; }

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const h = req.headers.authorization;
    if (!h || !/^bearer /i.test(h)) return undefined;
    const bearer = h.slice(7).trim();
    const t = parseToken(bearer);
    if (!t) return undefined;
    return authenticateBootstrapToken(bearer, this.o.secrets.get(t.id), this.clock.now());
  }
}
