/**
 * NodeRestriction for TokenRequests (upstream admitServiceAccount): a node that the Node authorizer
 * let create serviceaccounts/<sa>/token must bind the token to a pod (v1 Pod, name and uid) that
 * exists with that uid and is bound to the node itself. The API server then binds the token to
 * that pod (and through it to the node), so a node can mint tokens only for its own pods.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { notFound } from '../../api/status.js';
import type { ApiError, GroupResource } from '../../api/status.js';
import type { UserInfo } from '../auth.js';
import { nodeIdentity } from './node-identity.js';
import type { ObjectLookup } from './object-lookup.js';
import { admissionForbidden } from './node-restriction.js';

const SERVICE_ACCOUNTS: GroupResource = { group: '', resource: 'serviceaccounts' };
const PODS: GroupResource = { group: '', resource: 'pods' };

interface BoundObjectRef { kind?: string; apiVersion?: string; name?: string; uid?: string }

/** The part of a TokenRequest this check reads. */
export interface TokenRequestLike { spec?: { boundObjectRef?: BoundObjectRef | null } }

/**
 * Node `nodeName` asks for a token of ServiceAccount `namespace/saName`: undefined when allowed,
 * the 403 (or the pod's 404) otherwise.
 */
export async function admitTokenRequest(nodeName: string, namespace: string, saName: string, tr: TokenRequestLike, lookup: ObjectLookup): Promise<ApiError | undefined> {
  const deny = (reason: string) => admissionForbidden(SERVICE_ACCOUNTS, saName, reason);
  const ref = tr.spec?.boundObjectRef;
  if (!ref || ref.apiVersion !== 'v1' || ref.kind !== 'Pod' || !ref.name) return deny('node requested token not bound to a pod');
  if (!ref.uid) return deny('node requested token with a pod binding without a uid');
  const pod: Pod | undefined = await lookup.pod(namespace, ref.name);
  if (!pod) return notFound(PODS, ref.name);
  if (ref.uid !== pod.metadata?.uid) {
    return deny(`the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  if (pod.spec?.nodeName !== nodeName) return deny('node requested token bound to a pod scheduled on a different node');
  return undefined;
}

/** The create-only request as the token handler receives it (routes/resources.ts CreateOnlyRequest, the fields read here). */
interface TokenCreate { user: UserInfo; namespace?: string; name?: string; body: KubeObject }

/** The key of the serviceaccounts/token handler (routes/resources.ts createOnlyKey). */
export const TOKEN_HANDLER_KEY = '/serviceaccounts/token';

/**
 * The create-only handlers with the serviceaccounts/token one wrapped: a request from a node
 * passes admitTokenRequest first; everyone else goes straight through (the authorizer decided).
 */
export function withTokenRequestRestriction<R extends TokenCreate, T>(
  handlers: Readonly<Record<string, (req: R) => Promise<T>>> | undefined, lookup: ObjectLookup,
): Readonly<Record<string, (req: R) => Promise<T>>> | undefined {
  const inner = handlers?.[TOKEN_HANDLER_KEY];
  if (!handlers || !inner) return handlers;
  const restricted = async (req: R): Promise<T> => {
    const node = nodeIdentity(req.user);
    if (node !== undefined) {
      const refused = await admitTokenRequest(node, req.namespace ?? '', req.name ?? '', req.body as TokenRequestLike, lookup);
      if (refused) throw refused;
    }
    return inner(req);
  };
  return { ...handlers, [TOKEN_HANDLER_KEY]: restricted };
}
