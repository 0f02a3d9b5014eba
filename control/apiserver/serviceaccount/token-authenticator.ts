/**
 * ServiceAccount token authentication (upstream pkg/serviceaccount jwt.go, claims.go, legacy.go):
 * a JWT whose issuer is ours is verified (signature, times with 60 s leeway, audiences against the
 * requested ones) and then checked against the cluster: the ServiceAccount and the bound Pod,
 * Secret or Node still exist with the same uid and are not deleted for longer than the leeway;
 * a legacy token must still be the `token` of its Secret. Tokens of other issuers are not ours.
 */
import type { IncomingMessage } from 'node:http';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Authenticator, UserInfo } from '../auth.js';
import type { Clock } from '../../util/clock.js';
import { checkJwtTimes, decodeJwt, JWT_LEEWAY_SECONDS, JwtError, verifyJwtSignature } from '../../pki/jwt.js';
import type { JwtClaims } from '../../pki/jwt.js';
import type { ServiceAccountKey } from '../../pki/service-account-key.js';
import { LEGACY_ISSUER, SA_ISSUER } from './claims.js';
import type { KubernetesClaim } from './claims.js';
import { validateLegacyClaims } from './legacy-token.js';
import { TokenInvalid } from './token-invalid.js';
import { serviceAccountUser } from './service-account-user.js';
import type { ServiceAccountInfo } from './service-account-user.js';
import type { ServiceAccountTokenGetter } from './token-getter.js';

/** What one token is: not ours, a user with the audiences it is good for, or why it is refused. */
export type TokenResult = undefined | { user: UserInfo; audiences: string[] } | { error: string };

export interface ServiceAccountTokenAuthenticatorOptions {
  /** Public keys that may have signed tokens (the PKI's sa.pub). */
  keys: readonly Pick<ServiceAccountKey, 'publicKey' | 'keyId'>[];
  getter: ServiceAccountTokenGetter;
  /** The API server's audiences (--api-audiences, default the issuer). */
  apiAudiences: readonly string[];
  clock: Clock;
}

const ISSUERS = new Set([SA_ISSUER, LEGACY_ISSUER]);

const audiencesOf = (claims: JwtClaims): string[] => {
  const aud = claims['aud'];
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
};

const quoted = (a: readonly string[]): string => `[${a.map((s) => JSON.stringify(s)).join(' ')}]`;

export class ServiceAccountTokenAuthenticator implements Authenticator {
  constructor(private readonly o: ServiceAccountTokenAuthenticatorOptions) {}

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const h = req.headers.authorization;
    if (!h || !/^bearer /i.test(h)) return undefined;
    const res = await this.authenticateToken(h.slice(7).trim());
    return res && 'user' in res ? res.user : undefined;
  }

  /** Authenticates one token for `audiences` (default the API audiences). */
  async authenticateToken(token: string, audiences: readonly string[] = this.o.apiAudiences): Promise<TokenResult> {
    const jwt = decodeJwt(token);
    const iss = jwt?.claims['iss'];
    if (!jwt || typeof iss !== 'string' || !ISSUERS.has(iss)) return undefined; // not ours: the other authenticators may know it
    try {
      verifyJwtSignature(jwt, this.o.keys);
      const tokenAuds = audiencesOf(jwt.claims);
      // legacy tokens carry no audience: they are good for the API server only
      const effective = tokenAuds.length > 0 ? tokenAuds : [...this.o.apiAudiences];
      const auds = effective.filter((a) => audiences.includes(a));
      if (auds.length === 0) return { error: `token audiences ${quoted(effective)} is invalid for the target audiences ${quoted(audiences)}` };
      const nowSeconds = Math.floor(this.o.clock.now().getTime() / 1000);
      const info = iss === LEGACY_ISSUER
        ? await validateLegacyClaims(jwt.claims, token, this.o.getter)
        : await this.validateBound(jwt.claims, nowSeconds);
      return { user: serviceAccountUser(info), audiences: auds };
    } catch (err) {
      if (err instanceof JwtError || err instanceof TokenInvalid) return { error: err.message };
      throw err;
    }
  }

  /** upstream claims.go validator.Validate. */
  private async validateBound(claims: JwtClaims, nowSeconds: number): Promise<ServiceAccountInfo> {
    checkJwtTimes(claims, nowSeconds);
    const k8s = (claims['kubernetes.io'] ?? {}) as Partial<KubernetesClaim>;
    const ns = k8s.namespace ?? '';
    const saRef = k8s.serviceaccount ?? { name: '', uid: '' };
    // things deleted before now-leeway no longer count
    const deletedLongAgo = (o: { metadata?: { deletionTimestamp?: string } }): boolean =>
      o.metadata?.deletionTimestamp !== undefined && Date.parse(o.metadata.deletionTimestamp) / 1000 < nowSeconds - JWT_LEEWAY_SECONDS;
    const sa: ServiceAccount | undefined = await this.o.getter.serviceAccount(ns, saRef.name);
    if (!sa) throw new TokenInvalid(`serviceaccounts "${saRef.name}" not found`);
    if (deletedLongAgo(sa)) throw new TokenInvalid(`service account ${ns}/${saRef.name} has been deleted`);
    if (sa.metadata?.uid !== saRef.uid) throw new TokenInvalid(`service account UID (${sa.metadata?.uid ?? ''}) does not match claim (${saRef.uid})`);
    if (k8s.secret) {
      const secret = await this.o.getter.secret(ns, k8s.secret.name);
      if (!secret || deletedLongAgo(secret)) throw new TokenInvalid('service account token has been invalidated');
      if (secret.metadata?.uid !== k8s.secret.uid) throw new TokenInvalid(`secret UID (${secret.metadata?.uid ?? ''}) does not match service account secret ref claim (${k8s.secret.uid})`);
    }
    if (k8s.pod) {
      const pod = await this.o.getter.pod(ns, k8s.pod.name);
      if (!pod || deletedLongAgo(pod)) throw new TokenInvalid('service account token has been invalidated');
      if (pod.metadata?.uid !== k8s.pod.uid) throw new TokenInvalid(`pod UID (${pod.metadata?.uid ?? ''}) does not match service account pod ref claim (${k8s.pod.uid})`);
    } else if (k8s.node) {
      const node = await this.o.getter.node(k8s.node.name);
      if (!node) throw new TokenInvalid('service account token has been invalidated');
      if (node.metadata?.uid !== k8s.node.uid) throw new TokenInvalid(`node UID (${node.metadata?.uid ?? ''}) does not match service account node ref claim (${k8s.node.uid})`);
      if (deletedLongAgo(node)) throw new TokenInvalid('service account token has been invalidated');
    }
    const jti = claims['jti'];
    return {
      namespace: ns, name: saRef.name, uid: saRef.uid,
      ...(k8s.pod ? { podName: k8s.pod.name, podUid: k8s.pod.uid } : {}),
      ...(k8s.node ? { nodeName: k8s.node.name, nodeUid: k8s.node.uid } : {}),
      ...(typeof jti === 'string' && jti ? { credentialId: `JTI=${jti}` } : {}),
    };
  }
}

