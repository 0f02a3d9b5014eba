/**
 * Renders a kubeconfig (clientcmd v1 Config) that kubectl accepts. Pure.
 *
 * Naming: the cluster is named `clusterName` (default "tinykube"), the user
 * entry after `user`, and the context `contextName` (default: the cluster's
 * name; kubeadm's files use `<user>@<cluster>`, see `userContextName`);
 * current-context points at that context.
 */
import { stringify } from 'yaml';

export const DEFAULT_CLUSTER_NAME = 'tinykube';
/** The admin kubeconfig's user, as kubeadm names it (in group system:masters). */
export const ADMIN_USER = 'kubernetes-admin';

export interface KubeconfigOptions {
  /** https://host:port of the API server (https is required when a credential is given). */
  server: string;
  /** PEM of the CA that signed the serving certificate; embedded as certificate-authority-data. */
  caCertPem: string;
  /** Name of the user entry (e.g. "kubernetes-admin", "system:node:worker-1"). */
  user: string;
  /** Bearer token. */
  token?: string;
  /** Client certificate and key PEM; give both or neither. */
  clientCertPem?: string;
  clientKeyPem?: string;
  clusterName?: string;
  /** Name of the context (default: the cluster name). */
  contextName?: string;
  namespace?: string;
}

/** kubeadm's context name for a user's kubeconfig: `<user>@<cluster>` (e.g. kubernetes-admin@tinykube). */
export const userContextName = (user: string, clusterName = DEFAULT_CLUSTER_NAME): string => `${user}@${clusterName}`;

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

export function renderKubeconfig(opts: KubeconfigOptions): string {
  if ((opts.clientCertPem === undefined) !== (opts.clientKeyPem === undefined)) {
    throw new TypeError('render kubeconfig: clientCertPem and clientKeyPem must be given together');
  }
  const hasCredentials = opts.token !== undefined || opts.clientCertPem !== undefined;
  if (hasCredentials && !opts.server.startsWith('https://')) {
    // kubectl refuses to send credentials over plain HTTP.
    throw new TypeError(`render kubeconfig: server must be an https:// URL, got "${opts.server}"`);
  }
  const name = opts.clusterName ?? DEFAULT_CLUSTER_NAME;
  const contextName = opts.contextName ?? name;
  const user: Record<string, string> = {};
  if (opts.clientCertPem !== undefined && opts.clientKeyPem !== undefined) {
    user['client-certificate-data'] = b64(opts.clientCertPem);
    user['client-key-data'] = b64(opts.clientKeyPem);
  }
  if (opts.token !== undefined) user['token'] = opts.token;
  const context: Record<string, string> = { cluster: name, user: opts.user };
  if (opts.namespace !== undefined) context['namespace'] = opts.namespace;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caCertPem) } }],
    users: [{ name: opts.user, user }],
    contexts: [{ name: contextName, context }],
    'current-context': contextName,
    preferences: {},
  };
  return stringify(config, { lineWidth: 0 });
}
