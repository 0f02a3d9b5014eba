/**
 * POST serviceaccounts/<name>/token (upstream registry/core/serviceaccount/storage/token.go): a
 * bound token for the ServiceAccount, for the requested audiences (default the API's) and time
 * (default 1 h, at least 10 min), optionally bound to a Pod, Secret or Node. A Pod-bound request
 * for exactly 3607 s with API audiences (what the kubelet asks) gets a year, with `warnafter`.
 */
import { randomUUID } from 'node:crypto';
import type { BoundObjectReference, TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { Node, Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { badRequest, conflict, invalid, notFound } from '../../api/status.js';
import type { FieldError } from '../../api/status.js';
import { invalid as invalidField } from '../../api/validation/field-errors.js';
import type { Clock } from '../../util/clock.js';
import { rfc3339 } from '../../util/clock.js';
import { signJwt } from '../../pki/jwt.js';
import type { ServiceAccountKey } from '../../pki/service-account-key.js';
import type { CreateOnlyHandler } from '../routes/resources.js';
import { boundClaims, EXTENDED_EXPIRATION_SECONDS, WARN_ONLY_EXPIRATION_SECONDS } from './claims.js';
import type { NamedRef } from './claims.js';
import type { ServiceAccountTokenGetter } from './token-getter.js';

export const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
const TOKEN_REQUEST_GR = { group: 'authentication.k8s.io', resource: 'TokenRequest' };

export interface TokenRequestOptions {
  key: ServiceAccountKey;
  getter: ServiceAccountTokenGetter;
  apiAudiences: readonly string[];
  clock: Clock;
  /** --service-account-extend-token-expiration (default true). */
  extendExpiration?: boolean;
}

/** PURE. upstream ValidateTokenRequest. */
export function validateTokenRequest(tr: TokenRequest): FieldError[] {
  const exp = tr.spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const errs: FieldError[] = [];
  if (exp < MIN_EXPIRATION_SECONDS) errs.push(invalidField('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'));
  if (exp > MAX_EXPIRATION_SECONDS) errs.push(invalidField('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}

const ref = (o: { metadata?: { name?: string; uid?: string } }): NamedRef => ({ name: o.metadata?.name ?? '', uid: o.metadata?.uid ?? '' });

/** "group/version, Kind=kind" as Go's GroupVersionKind.String(). */
function gvkString(r: BoundObjectReference): string {
  const [a = '', b] = (r.apiVersion ?? '').split('/');
  const [group, version] = b === undefined ? ['', a] : [a, b];
  return `${group}/${version}, Kind=${r.kind ?? ''}`;
}

interface Bound { pod?: Pod; secret?: Secret; node?: Node }

async function resolveBound(o: TokenRequestOptions, ns: string, saName: string, r: BoundObjectReference): Promise<Bound> {
  const group = (r.apiVersion ?? '').includes('/') ? (r.apiVersion ?? '').split('/')[0] : '';
  const name = r.name ?? '';
  let bound: Bound;
  let uid: string | undefined;
  if (group === '' && r.kind === 'Pod') {
    const pod = await o.getter.pod(ns, name);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
    if ((pod.spec?.serviceAccountName ?? 'default') !== saName) {
      throw badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with serviceaccount "${pod.spec?.serviceAccountName ?? ''}"`);
    }
    // a scheduled pod's token also names its node (ServiceAccountTokenPodNodeInfo); a missing node is left out
    const node = pod.spec?.nodeName ? await o.getter.node(pod.spec.nodeName) : undefined;
    bound = { pod, ...(node ? { node } : {}) };
    uid = pod.metadata?.uid;
  } else if (group === '' && r.kind === 'Secret') {
    const secret = await o.getter.secret(ns, name);
    if (!secret) throw notFound({ group: '', resource: 'secrets' }, name);
    bound = { secret };
    uid = secret.metadata?.uid;
  } else if (group === '' && r.kind === 'Node') {
    const node = await o.getter.node(name);
    if (!node) throw notFound({ group: '', resource: 'nodes' }, name);
    bound = { node };
    uid = node.metadata?.uid;
  } else {
    throw badRequest(`cannot bind token to object of type ${gvkString(r)}`);
  }
  if (r.uid && r.uid !== uid) {
    throw conflict({ group, resource: r.kind ?? '' }, name,
      `the UID in the bound object reference (${r.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return bound;
}

export function tokenRequestHandler(o: TokenRequestOptions): CreateOnlyHandler {
  return async (req) => {
    const ns = req.namespace ?? '';
    const saName = req.name ?? '';
    const body = req.body as KubeObject & Partial<TokenRequest>;
    if (body.kind !== undefined && body.kind !== 'TokenRequest') throw badRequest(`the body of the request was of kind ${body.kind}, not TokenRequest`);
    const md = body.metadata ?? {};
    if (md.name && md.name !== saName) throw invalid('TokenRequest', TOKEN_REQUEST_GR, saName, [invalidField('metadata.name', md.name, 'must match the service account name if specified')]);
    if (md.namespace && md.namespace !== ns) throw invalid('TokenRequest', TOKEN_REQUEST_GR, saName, [invalidField('metadata.namespace', md.namespace, 'must match the service account namespace if specified')]);
    const sa = await o.getter.serviceAccount(ns, saName);
    if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, saName);
    const spec = body.spec ?? { audiences: [] };
    const tr: TokenRequest = {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      metadata: { ...md, name: saName, namespace: ns },
      spec: {
        ...spec,
        audiences: spec.audiences && spec.audiences.length > 0 ? spec.audiences : [...o.apiAudiences],
        expirationSeconds: spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
      },
    };
    const now = o.clock.now();
    tr.metadata = { ...tr.metadata, creationTimestamp: rfc3339(now) };
    const errs = validateTokenRequest(tr);
    if (errs.length > 0) throw invalid('TokenRequest', TOKEN_REQUEST_GR, '', errs);
    const bound = tr.spec.boundObjectRef ? await resolveBound(o, ns, saName, tr.spec.boundObjectRef) : {};
    const requested = tr.spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    const kubeAudiences = tr.spec.audiences.every((a) => o.apiAudiences.includes(a));
    const extend = (o.extendExpiration ?? true) && bound.pod !== undefined && requested === WARN_ONLY_EXPIRATION_SECONDS && kubeAudiences;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const claims = boundClaims({
      namespace: ns, serviceAccount: ref(sa), audiences: tr.spec.audiences, now: nowSeconds,
      expirationSeconds: extend ? EXTENDED_EXPIRATION_SECONDS : requested, ...(extend ? { warnAfterSeconds: requested } : {}),
      ...(bound.pod ? { pod: ref(bound.pod) } : {}), ...(bound.secret ? { secret: ref(bound.secret) } : {}),
      ...(bound.node ? { node: ref(bound.node) } : {}), jti: randomUUID(),
    });
    tr.status = { token: signJwt(claims, o.key), expirationTimestamp: rfc3339(new Date((nowSeconds + requested) * 1000)) };
    return tr as unknown as KubeObject;
  };
}
