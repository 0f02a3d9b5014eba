/**
 * What a ServiceAccount token says (upstream pkg/serviceaccount claims.go and legacy.go): the
 * claims of bound tokens (TokenRequest) and of legacy Secret-based tokens, and the names both
 * sides share (issuers, the token Secret's type, annotations and keys, the SA user name).
 */
import type { JwtClaims } from '../../pki/jwt.js';

/** kube-apiserver --service-account-issuer as kubeadm sets it; also the default API audience. */
export const SA_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** The issuer of Secret-based tokens. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

export const SA_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid';
/** The data keys of a token Secret. */
export const SECRET_TOKEN_KEY = 'token';
export const SECRET_CA_KEY = 'ca.crt';
export const SECRET_NAMESPACE_KEY = 'namespace';

/** What the kubelet asks for kube-api-access volumes: such tokens get a year, warning after this. */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
export const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;

const SA_PREFIX = 'system:serviceaccount:';

/** `system:serviceaccount:<namespace>:<name>`. */
export const serviceAccountUsername = (namespace: string, name: string): string => `${SA_PREFIX}${namespace}:${name}`;

/** PURE. Namespace and name of a ServiceAccount user name, undefined when it is none. */
export function splitServiceAccountUsername(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const parts = user.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

export interface NamedRef { name: string; uid: string }

/** The private `kubernetes.io` claim of a bound token. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: NamedRef;
  pod?: NamedRef;
  secret?: NamedRef;
  node?: NamedRef;
  warnafter?: number;
}

export interface BoundClaimsInput {
  namespace: string;
  serviceAccount: NamedRef;
  audiences: readonly string[];
  /** Seconds since the epoch. */
  now: number;
  expirationSeconds: number;
  /** Seconds after `now` at which the token counts as stale (extended tokens). */
  warnAfterSeconds?: number;
  pod?: NamedRef;
  secret?: NamedRef;
  node?: NamedRef;
  jti: string;
}

/** PURE. The claims of a bound token (upstream Claims()). */
export function boundClaims(i: BoundClaimsInput): JwtClaims {
  const k8s: KubernetesClaim = {
    namespace: i.namespace,
    ...(i.node ? { node: i.node } : {}),
    ...(i.pod ? { pod: i.pod } : {}),
    ...(i.secret ? { secret: i.secret } : {}),
    serviceaccount: i.serviceAccount,
    ...(i.warnAfterSeconds ? { warnafter: i.now + i.warnAfterSeconds } : {}),
  };
  return {
    aud: [...i.audiences], exp: i.now + i.expirationSeconds, iat: i.now, iss: SA_ISSUER, jti: i.jti,
    'kubernetes.io': k8s, nbf: i.now, sub: serviceAccountUsername(i.namespace, i.serviceAccount.name),
  };
}

export const LEGACY_NAMESPACE_CLAIM = 'kubernetes.io/serviceaccount/namespace';
export const LEGACY_SECRET_NAME_CLAIM = 'kubernetes.io/serviceaccount/secret.name';
export const LEGACY_SA_NAME_CLAIM = 'kubernetes.io/serviceaccount/service-account.name';
export const LEGACY_SA_UID_CLAIM = 'kubernetes.io/serviceaccount/service-account.uid';

/** PURE. The claims of a Secret-based token (upstream LegacyClaims()): no audience, no expiry. */
export function legacyClaims(namespace: string, serviceAccount: NamedRef, secretName: string): JwtClaims {
  return {
    iss: LEGACY_ISSUER,
    [LEGACY_NAMESPACE_CLAIM]: namespace,
    [LEGACY_SECRET_NAME_CLAIM]: secretName,
    [LEGACY_SA_NAME_CLAIM]: serviceAccount.name,
    [LEGACY_SA_UID_CLAIM]: serviceAccount.uid,
    sub: serviceAccountUsername(namespace, serviceAccount.name),
  };
}
