/** The user a ServiceAccount token authenticates as (upstream ServiceAccountInfo.UserInfo(), plus system:authenticated). */
import type { UserInfo } from '../auth.js';
import { serviceAccountUsername } from './claims.js';

export const POD_NAME_EXTRA = 'authentication.kubernetes.io/pod-name';
export const POD_UID_EXTRA = 'authentication.kubernetes.io/pod-uid';
export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';
export const NODE_UID_EXTRA = 'authentication.kubernetes.io/node-uid';
export const CREDENTIAL_ID_EXTRA = 'authentication.kubernetes.io/credential-id';

/** What a verified token says about its holder. */
export interface ServiceAccountInfo {
  namespace: string; name: string; uid: string;
  podName?: string; podUid?: string; nodeName?: string; nodeUid?: string; credentialId?: string;
}

export function serviceAccountUser(sa: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (sa.podName && sa.podUid) { extra[POD_NAME_EXTRA] = [sa.podName]; extra[POD_UID_EXTRA] = [sa.podUid]; }
  if (sa.credentialId) extra[CREDENTIAL_ID_EXTRA] = [sa.credentialId];
  if (sa.nodeName) { extra[NODE_NAME_EXTRA] = [sa.nodeName]; if (sa.nodeUid) extra[NODE_UID_EXTRA] = [sa.nodeUid]; }
  return {
    name: serviceAccountUsername(sa.namespace, sa.name), uid: sa.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`, 'system:authenticated'],
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

