/**
 * PURE helpers of the tokens controller: which Secrets are ServiceAccount token Secrets and for
 * whom, what a token Secret still lacks (upstream's needsToken/needsCA/needsNamespace), and the
 * Secret auto-generation creates (`<sa>-token-<5 random>`, as Kubernetes ≤1.23 did).
 */
import { randomInt } from 'node:crypto';
import type { Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import {
  SA_NAME_ANNOTATION, SA_TOKEN_SECRET_TYPE, SA_UID_ANNOTATION, SECRET_CA_KEY, SECRET_NAMESPACE_KEY, SECRET_TOKEN_KEY,
} from '../../apiserver/serviceaccount/claims.js';

/** The ServiceAccount a token Secret names, undefined for any other Secret. */
export function tokenSecretOwner(s: Secret): string | undefined {
  if (s.type !== SA_TOKEN_SECRET_TYPE) return undefined;
  const name = s.metadata?.annotations?.[SA_NAME_ANNOTATION];
  return name ? name : undefined;
}

/** Whether the Secret is a token Secret of this ServiceAccount (name, and uid once recorded). */
export function isTokenSecretOf(s: Secret, sa: ServiceAccount): boolean {
  if (tokenSecretOwner(s) !== sa.metadata?.name) return false;
  const uid = s.metadata?.annotations?.[SA_UID_ANNOTATION];
  return !uid || uid === sa.metadata?.uid;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/**
 * The data and annotations to write into a token Secret, or undefined when it has them all.
 * An existing token stays; `ca.crt` is replaced when it differs from the cluster CA.
 */
export function tokenSecretUpdate(s: Secret, sa: ServiceAccount, o: { caCertPem?: string; token: () => string }): Secret | undefined {
  const data = s.data ?? {};
  const needsToken = !data[SECRET_TOKEN_KEY];
  const needsCa = o.caCertPem !== undefined && data[SECRET_CA_KEY] !== b64(o.caCertPem);
  const needsNamespace = !data[SECRET_NAMESPACE_KEY];
  const needsUid = s.metadata?.annotations?.[SA_UID_ANNOTATION] !== sa.metadata?.uid;
  if (!needsToken && !needsCa && !needsNamespace && !needsUid) return undefined;
  const out = structuredClone(s);
  out.data = {
    ...data,
    ...(needsToken ? { [SECRET_TOKEN_KEY]: b64(o.token()) } : {}),
    ...(needsCa && o.caCertPem !== undefined ? { [SECRET_CA_KEY]: b64(o.caCertPem) } : {}),
    ...(needsNamespace ? { [SECRET_NAMESPACE_KEY]: b64(s.metadata?.namespace ?? '') } : {}),
  };
  out.metadata = { ...out.metadata, annotations: { ...(out.metadata?.annotations ?? {}), [SA_UID_ANNOTATION]: sa.metadata?.uid ?? '' } };
  return out;
}

/** upstream utilrand's alphabet: no vowels, no look-alikes. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
/** A generated name is at most 63 characters: the base is cut so that 5 random ones fit. */
const MAX_BASE = 63 - 5;

export const randomSuffix = (): string => Array.from({ length: 5 }, () => ALPHANUMS[randomInt(ALPHANUMS.length)]).join('');

/** A new, still empty token Secret for the ServiceAccount (the controller fills it in). */
export function newTokenSecret(sa: ServiceAccount, suffix = randomSuffix()): Secret {
  const base = `${sa.metadata?.name ?? ''}-token-`.slice(0, MAX_BASE);
  return {
    apiVersion: 'v1', kind: 'Secret', type: SA_TOKEN_SECRET_TYPE,
    metadata: {
      name: `${base}${suffix}`, namespace: sa.metadata?.namespace,
      annotations: { [SA_NAME_ANNOTATION]: sa.metadata?.name ?? '', [SA_UID_ANNOTATION]: sa.metadata?.uid ?? '' },
    },
  };
}
