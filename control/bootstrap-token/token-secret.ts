/**
 * A bootstrap token as the Secret upstream stores it (kube-system/bootstrap-token-<id>, type
 * bootstrap.kubernetes.io/token), built and read back. Values are base64 in `data`; `stringData`
 * (what users may write by hand, folded into data on write) is read too. Pure functions.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { rfc3339 } from '../util/clock.js';
import {
  EXTRA_GROUP_PATTERN, KEY_DESCRIPTION, KEY_EXPIRATION, KEY_EXTRA_GROUPS, KEY_TOKEN_ID, KEY_TOKEN_SECRET,
  TOKEN_NAMESPACE, TOKEN_SECRET_TYPE, USAGE_KEY_PREFIX,
} from '../api/bootstrap-token.js';
import { isValidTokenId, tokenSecretName } from './token.js';
import type { TokenString } from './token.js';

export type TokenSecret = Secret & KubeObject;

export interface BootstrapToken {
  token: TokenString;
  description?: string;
  /** Absent: never expires. */
  expires?: Date;
  /** Sorted, e.g. ['authentication', 'signing']. */
  usages: string[];
  /** Extra groups (not counting system:bootstrappers), in stored order, duplicates removed. */
  groups: string[];
}

export function buildTokenSecret(t: BootstrapToken): TokenSecret {
  const data: Record<string, string> = { [KEY_TOKEN_ID]: t.token.id, [KEY_TOKEN_SECRET]: t.token.secret };
  if (t.description) data[KEY_DESCRIPTION] = t.description;
  if (t.expires) data[KEY_EXPIRATION] = rfc3339(t.expires);
  for (const u of t.usages) data[USAGE_KEY_PREFIX + u] = 'true';
  if (t.groups.length > 0) data[KEY_EXTRA_GROUPS] = t.groups.join(',');
  return {
    apiVersion: 'v1', kind: 'Secret',
    metadata: { name: tokenSecretName(t.token.id), namespace: TOKEN_NAMESPACE },
    type: TOKEN_SECRET_TYPE,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
  };
}

/** A data value as text: `data` (base64) first, then `stringData`. */
export function secretValue(s: Secret, key: string): string | undefined {
  const b = s.data?.[key];
  if (b !== undefined) return Buffer.from(b, 'base64').toString('utf8');
  return s.stringData?.[key];
}

export type ExpirationState = { expired: false; expires?: Date } | { expired: true; unparseable: boolean };

/** Expired at `now`? A missing expiration never expires; one that does not parse counts as expired (upstream). */
export function expirationOf(s: Secret, now: Date): ExpirationState {
  const text = secretValue(s, KEY_EXPIRATION);
  if (text === undefined || text === '') return { expired: false };
  const expires = parseRfc3339(text);
  if (!expires) return { expired: true, unparseable: true };
  return expires.getTime() <= now.getTime() ? { expired: true, unparseable: false } : { expired: false, expires };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseRfc3339(s: string): Date | undefined {
  if (!RFC3339.test(s)) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Whether `usage-bootstrap-<usage>` is exactly "true". */
export const hasUsage = (s: Secret, usage: string): boolean => secretValue(s, USAGE_KEY_PREFIX + usage) === 'true';

export type ParsedTokenSecret = { ok: true; token: BootstrapToken } | { ok: false; reason: string };

/**
 * Reads a token Secret, checking what upstream checks: the type, a valid token-id matching the
 * name, a token-secret, a parseable expiration and well-formed extra groups. Expiry is not judged
 * here (see expirationOf).
 */
export function parseTokenSecret(s: Secret): ParsedTokenSecret {
  const name = s.metadata?.name ?? '';
  if (s.type !== TOKEN_SECRET_TYPE) return { ok: false, reason: `secret ${name} is not of type ${TOKEN_SECRET_TYPE}` };
  const id = secretValue(s, KEY_TOKEN_ID) ?? '';
  if (!isValidTokenId(id)) return { ok: false, reason: `bootstrap token ${name} has no valid ${KEY_TOKEN_ID}` };
  if (name !== tokenSecretName(id)) return { ok: false, reason: `bootstrap token name is not of the form '${tokenSecretName('(token-id)')}': ${name}` };
  const secret = secretValue(s, KEY_TOKEN_SECRET) ?? '';
  if (!/^[a-z0-9]{16}$/.test(secret)) return { ok: false, reason: `bootstrap token ${name} has no valid ${KEY_TOKEN_SECRET}` };
  const token: BootstrapToken = { token: { id, secret }, usages: usagesOf(s), groups: [] };
  const description = secretValue(s, KEY_DESCRIPTION);
  if (description) token.description = description;
  const expText = secretValue(s, KEY_EXPIRATION);
  if (expText) {
    const expires = parseRfc3339(expText);
    if (!expires) return { ok: false, reason: `can't parse expiration time of bootstrap token ${name}: "${expText}"` };
    token.expires = expires;
  }
  const groups = parseExtraGroups(secretValue(s, KEY_EXTRA_GROUPS) ?? '');
  if (typeof groups === 'string') return { ok: false, reason: `bootstrap token ${name}: ${groups}` };
  token.groups = groups;
  return { ok: true, token };
}

function usagesOf(s: Secret): string[] {
  const keys = new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);
  return [...keys].filter((k) => k.startsWith(USAGE_KEY_PREFIX) && hasUsage(s, k.slice(USAGE_KEY_PREFIX.length)))
    .map((k) => k.slice(USAGE_KEY_PREFIX.length)).sort();
}

/** Comma-separated extra groups, deduplicated; a string names the first bad one. */
export function parseExtraGroups(text: string): string[] | string {
  const out: string[] = [];
  for (const g of text.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!EXTRA_GROUP_PATTERN.test(g)) return `group "${g}" does not match ${EXTRA_GROUP_PATTERN.source}`;
    if (!out.includes(g)) out.push(g);
  }
  return out;
}
