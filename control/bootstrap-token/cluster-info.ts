/**
 * The discovery kubeconfig kept in kube-public/cluster-info: one cluster entry (named "", as
 * kubeadm writes it) with the API server URL and the CA, no users and no contexts. Nodes read it
 * anonymously and trust it once a `jws-kubeconfig-<id>` signature verifies with their token.
 */
import { parse, stringify } from 'yaml';
import { isRecord } from '../api/object.js';

export interface ClusterInfo { server: string; caCertPem: string }

/** PURE: the kubeconfig text; the same input gives the same bytes (the signatures cover them). */
export function renderClusterInfoKubeconfig(c: ClusterInfo): string {
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': Buffer.from(c.caCertPem, 'utf8').toString('base64'), server: c.server }, name: '' }],
    contexts: null,
    'current-context': '',
    kind: 'Config',
    preferences: {},
    users: null,
  }, { lineWidth: 0 });
}

/** The server and CA of the first cluster; undefined when the text is not such a kubeconfig. */
export function parseClusterInfoKubeconfig(text: string): ClusterInfo | undefined {
  let doc: unknown;
  try { doc = parse(text); } catch { return undefined; } // not YAML: not a kubeconfig
  if (!isRecord(doc) || !Array.isArray(doc['clusters'])) return undefined;
  const first: unknown = doc['clusters'][0];
  const cluster = isRecord(first) ? first['cluster'] : undefined;
  if (!isRecord(cluster)) return undefined;
  const server = cluster['server'];
  const ca = cluster['certificate-authority-data'];
  if (typeof server !== 'string' || typeof ca !== 'string') return undefined;
  return { server, caCertPem: Buffer.from(ca, 'base64').toString('utf8') };
}
