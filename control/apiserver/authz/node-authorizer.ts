/**
 * The Node authorizer (upstream plugin/pkg/auth/authorizer/node), for users that are nodes:
 * secrets and configmaps only by `get`, `list` or `watch` of one named object that a pod bound to
 * the node refers to; claims only by `get` (and their status by update); of serviceaccounts only
 * `create` of the `token` subresource of one that a pod bound to the node runs as (NodeRestriction
 * then wants the token bound to that pod: node-restriction-token.ts); its own Lease in
 * kube-node-lease; everything else by the static node rules. Then the NodeRestriction checks the
 * URL alone decides (another node's name, a pod bound elsewhere). Upstream keeps a graph fed by
 * informers; this reads the pods of the namespace when asked.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { forbidden } from '../../api/status.js';
import { ANN_PROVISIONED_BY, LOCAL_PATH_PROVISIONER } from '../../api/storage-names.js';
import type { ApiError } from '../../api/status.js';
import type { UserInfo } from '../auth.js';
import { forbiddenMessage } from '../authorize.js';
import type { RequestAttributes } from '../authorize.js';
import { NODE_LEASE_NAMESPACE, admitNode, admitPodDelete } from './node-restriction.js';
import { NODE_RULES, rulesAllow } from './node-rules.js';
import type { ObjectLookup } from './object-lookup.js';
import { podReferences } from './pod-references.js';
import type { PodReferences } from './pod-references.js';

/** undefined allows; a string refuses, with that reason ('' for none). */
type Reason = string | undefined;

const REFERENCED: Record<string, keyof PodReferences> = {
  secrets: 'secrets', configmaps: 'configMaps', persistentvolumeclaims: 'persistentVolumeClaims', serviceaccounts: 'serviceAccounts',
};

export class NodeAuthorizer {
  private readonly lookup: ObjectLookup;

  constructor(opts: { lookup: ObjectLookup }) { this.lookup = opts.lookup; }

  /**
   * Whether node `nodeName` (from nodeIdentity; '' when unknown) may make the request; undefined
   * when allowed, the 403 otherwise; the authorizer (authorizer.ts) decides non-resource paths.
   */
  async authorize(user: UserInfo, nodeName: string, a: RequestAttributes): Promise<ApiError | undefined> {
    const reason = nodeName === '' ? `unknown node for user "${user.name}"` : await this.decide(nodeName, a);
    if (reason !== undefined) return forbidden(forbiddenMessage(user, a) + (reason ? `: ${reason}` : ''));
    return this.restrict(nodeName, a);
  }

  private async decide(nodeName: string, a: RequestAttributes): Promise<Reason> {
    if (a.group === '' && (a.resource === 'secrets' || a.resource === 'configmaps')) return this.readNamespacedObject(nodeName, a);
    if (a.group === '' && a.resource === 'persistentvolumeclaims') {
      if (a.subresource === 'status') {
        if (a.verb !== 'update' && a.verb !== 'patch') return 'can only get/update/patch this type';
        return this.related(nodeName, a);
      }
      if (a.verb !== 'get') return 'can only get individual resources of this type';
      return a.subresource ? 'cannot get subresource' : this.related(nodeName, a);
    }
    if (a.group === '' && a.resource === 'persistentvolumes') return this.getVolume(nodeName, a);
    if (a.group === '' && a.resource === 'serviceaccounts') return this.createToken(nodeName, a);
    if (a.group === 'coordination.k8s.io' && a.resource === 'leases') return lease(nodeName, a);
    return rulesAllow(NODE_RULES, a) ? undefined : '';
  }

  private async readNamespacedObject(nodeName: string, a: RequestAttributes): Promise<Reason> {
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') return 'can only read resources of this type';
    if (a.subresource) return 'cannot read subresource';
    if (!a.namespace) return 'can only read namespaced object of this type';
    return this.related(nodeName, a);
  }

  /** upstream: `get` of a PersistentVolume bound to a claim that a pod bound to the node uses (pv → claimRef → pod). */
  private async getVolume(nodeName: string, a: RequestAttributes): Promise<Reason> {
    if (a.verb !== 'get' || a.subresource) return 'can only get individual resources of this type';
    if (!a.name) return 'No Object name found';
    if (!this.lookup.volume) return `no relationship found between node '${nodeName}' and this object`;
    const pv = await this.lookup.volume(a.name);
    // tinykube: a node learns that a local-path volume it holds is gone (the handler answers 404), and reads
    // the local-path volumes pinned to it (their reclaim policy), for agent/local-path-cleaner.ts
    if (!pv) return undefined;
    if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER
      && (pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []).some((t) => (t.matchExpressions ?? [])
        .some((e) => e.key === 'kubernetes.io/hostname' && e.operator === 'In' && (e.values ?? []).includes(nodeName)))) return undefined;
    const ref = pv.spec?.claimRef;
    if (ref?.namespace && ref.name) {
      const claim = ref.name;
      const pods = await this.lookup.pods(ref.namespace);
      if (pods.some((p) => p.spec?.nodeName === nodeName && podReferences(p).persistentVolumeClaims.has(claim))) return undefined;
    }
    return `no relationship found between node '${nodeName}' and this object`;
  }

  /** upstream authorizeCreateToken: only `create` of serviceaccounts/<name>/token, for a ServiceAccount a pod of the node uses. */
  private async createToken(nodeName: string, a: RequestAttributes): Promise<Reason> {
    if (a.verb !== 'create' || !a.name) return 'can only create tokens for individual service accounts';
    if (a.subresource !== 'token') return 'can only create token subresource of serviceaccount';
    return this.related(nodeName, a);
  }

  /** Is there a pod bound to the node that refers to the named object (upstream hasPathFrom)? */
  private async related(nodeName: string, a: RequestAttributes): Promise<Reason> {
    const kind = REFERENCED[a.resource];
    if (!a.name) return 'No Object name found';
    const name = a.name;
    const pods = kind && a.namespace ? await this.lookup.pods(a.namespace) : [];
    const bound = pods.filter((p: Pod) => p.spec?.nodeName === nodeName);
    if (kind && bound.some((p) => podReferences(p)[kind].has(name))) return undefined;
    return `no relationship found between node '${nodeName}' and this object`;
  }

  /** NodeRestriction where the URL is enough: another node's Node, a pod bound elsewhere. */
  private async restrict(nodeName: string, a: RequestAttributes): Promise<ApiError | undefined> {
    if (a.group !== '' || a.name === undefined) return undefined;
    if (a.resource === 'nodes' && ['update', 'patch', 'delete'].includes(a.verb)) return admitNode(nodeName, a.name);
    if (a.resource === 'pods' && a.subresource === undefined && a.verb === 'delete') {
      const pod = await this.lookup.pod(a.namespace ?? '', a.name);
      return pod ? admitPodDelete(nodeName, pod) : undefined; // not there: the handler answers 404
    }
    return undefined;
  }
}

/** upstream authorizeLease: get/create/update/patch/delete of its own Lease in kube-node-lease. */
function lease(nodeName: string, a: RequestAttributes): Reason {
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return 'can only get, create, update, patch, or delete a node lease';
  if (a.namespace !== NODE_LEASE_NAMESPACE) return `can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`;
  // a create carries the name in the body: NodeRestriction checks it
  if (a.verb !== 'create' && a.name !== nodeName) return 'can only access node lease with the same name as the requesting node';
  return undefined;
}
