/**
 * Renders a kubeconfig (clientcmd v1 Config) that kubectl accepts. Pure.
 *
 * Naming: the cluster and the context are both named `clusterName` (default
 * "tinykube"), and current-context points at it, so `kubectl config
 * use-context tinykube` works on every file we write; the user entry is
 * named after `user`.
 */
import { stringify } from 'yaml';

export const DEFAULT_CLUSTER_NAME = 'tinykube';

export interface KubeconfigOptions {
  /** https://host:port of the API server (https is required when a credential is given). */
  server: string;
  /** PEM of the CA that signed the serving certificate; embedded as certificate-authority-data. */
  caCertPem: string;
  /** Name of the user entry (e.g. "admin", "system:node:worker-1"). */
  user: string;
  /** Bearer token. */
  token?: string;
  /** Client certificate and key PEM; give both or neither. */
  clientCertPem?: string;
  clientKeyPem?: string;
  clusterName?: string;
  namespace?: string;
}

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
    contexts: [{ name, context }],
    'current-context': name,
    preferences: {},
  };
  return stringify(config, { lineWidth: 0 });
}
