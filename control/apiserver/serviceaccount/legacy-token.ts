/**
 * Secret-based ("legacy") ServiceAccount tokens (upstream legacy.go): the claims must name a
 * namespace, Secret and ServiceAccount consistently, the Secret must still hold exactly this token,
 * and the ServiceAccount must exist with the uid the token names.
 */
import type { JwtClaims } from '../../pki/jwt.js';
import {
  LEGACY_NAMESPACE_CLAIM, LEGACY_SA_NAME_CLAIM, LEGACY_SA_UID_CLAIM, LEGACY_SECRET_NAME_CLAIM, SECRET_TOKEN_KEY,
  splitServiceAccountUsername,
} from './claims.js';
import type { ServiceAccountInfo } from './service-account-user.js';
import type { ServiceAccountTokenGetter } from './token-getter.js';
import { TokenInvalid } from './token-invalid.js';

const claim = (claims: JwtClaims, key: string, what: string): string => {
  const v = claims[key];
  if (typeof v !== 'string' || v === '') throw new TokenInvalid(`${what} claim is missing`);
  return v;
};

export async function validateLegacyClaims(claims: JwtClaims, token: string, getter: ServiceAccountTokenGetter): Promise<ServiceAccountInfo> {
  const namespace = claim(claims, LEGACY_NAMESPACE_CLAIM, 'namespace');
  const secretName = claim(claims, LEGACY_SECRET_NAME_CLAIM, 'secretName');
  const name = claim(claims, LEGACY_SA_NAME_CLAIM, 'serviceAccountName');
  const uid = claim(claims, LEGACY_SA_UID_CLAIM, 'serviceAccountUID');
  const sub = splitServiceAccountUsername(typeof claims['sub'] === 'string' ? claims['sub'] : '');
  if (!sub || sub.namespace !== namespace || sub.name !== name) throw new TokenInvalid('sub claim is invalid');
  const secret = await getter.secret(namespace, secretName);
  if (!secret || secret.metadata?.deletionTimestamp) throw new TokenInvalid('token has been invalidated');
  if (Buffer.from(secret.data?.[SECRET_TOKEN_KEY] ?? '', 'base64').toString('utf8') !== token) {
    throw new TokenInvalid("token does not match server's copy");
  }
  const sa = await getter.serviceAccount(namespace, name);
  if (!sa) throw new TokenInvalid(`serviceaccounts "${name}" not found`);
  if (sa.metadata?.deletionTimestamp) throw new TokenInvalid(`service account ${namespace}/${name} has been deleted`);
  if (sa.metadata?.uid !== uid) throw new TokenInvalid(`service account UID (${sa.metadata?.uid ?? ''}) does not match claim (${uid})`);
  return { namespace, name, uid };
}
