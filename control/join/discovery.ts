/**
 * kubeadm's token discovery: read kube-public/cluster-info without trusting the server yet (TLS
 * unverified), then trust what it says only if the bootstrap token signed it (detached JWS under
 * `jws-kubeconfig-<token id>`) and, when a CA pin is given, the CA's public key hashes to it. The
 * result is the API server URL and the CA every later request verifies.
 */
import { request } from 'node:https';
import { parseClusterInfoKubeconfig } from '../bootstrap-token/cluster-info.js';
import type { ClusterInfo } from '../bootstrap-token/cluster-info.js';
import { CLUSTER_INFO_KUBECONFIG_KEY, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, JWS_KEY_PREFIX } from '../api/bootstrap-token.js';
import { verifyDetachedSignature } from '../bootstrap-token/jws.js';
import type { TokenString } from '../bootstrap-token/token.js';
import { caCertHash } from '../pki/ca-cert-hash.js';

export class JoinError extends Error {
  constructor(message: string, opts?: ErrorOptions) { super(message, opts); this.name = 'JoinError'; }
}

export interface DiscoveryOptions {
  /** https://host:port given to `join`. */
  server: string;
  token: TokenString;
  /** "sha256:<hex>" pins; the CA must match one. Empty only with unsafeSkipCaVerification. */
  caCertHashes: readonly string[];
  unsafeSkipCaVerification?: boolean;
  /** The unverified GET (tests inject it). */
  fetchUnverified?: (url: string) => Promise<{ status: number; body: string }>;
  /**
   * How long to keep asking while cluster-info is not there yet or not yet signed for this token
   * (a fresh control plane or token: the bootstrap signer catches up within a second). Default 30 s.
   */
  timeoutMs?: number;
  retryMs?: number;
}

/** cluster-info does not exist or carries no signature for the token yet: worth asking again. */
class NotYet extends JoinError {}

const CLUSTER_INFO_PATH = `/api/v1/namespaces/${CLUSTER_INFO_NAMESPACE}/configmaps/${CLUSTER_INFO_NAME}`;

/** GET over TLS without verifying the server (the JWS and the pin do that afterwards). */
export function fetchUnverified(url: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, timeout: timeoutMs, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end();
  });
}

/** PURE. What a fetched cluster-info ConfigMap proves, given the token and the pins. */
export function verifyClusterInfo(data: Record<string, string>, o: Pick<DiscoveryOptions, 'token' | 'caCertHashes' | 'unsafeSkipCaVerification'>): ClusterInfo {
  const kubeconfig = data[CLUSTER_INFO_KUBECONFIG_KEY];
  if (kubeconfig === undefined) throw new JoinError(`there is no ${CLUSTER_INFO_KUBECONFIG_KEY} in the ${CLUSTER_INFO_NAME} ConfigMap`);
  const sig = data[`${JWS_KEY_PREFIX}${o.token.id}`];
  if (sig === undefined) throw new NotYet(`token id "${o.token.id}" is invalid for this cluster or it has expired. Use "tinykube token create" on the control-plane node to create a new valid token`);
  if (!verifyDetachedSignature(sig, kubeconfig, o.token.id, o.token.secret)) throw new JoinError(`failed to verify JWS signature of received cluster info object, can't trust this API Server`);
  const info = parseClusterInfoKubeconfig(kubeconfig);
  if (!info) throw new JoinError(`the ${CLUSTER_INFO_NAME} kubeconfig has no server and certificate authority`);
  if (o.caCertHashes.length === 0) {
    if (!o.unsafeSkipCaVerification) throw new JoinError('a --ca-cert-hash pin is required (or --discovery-token-unsafe-skip-ca-verification)');
    return info;
  }
  const actual = caCertHash(info.caCertPem);
  if (!o.caCertHashes.includes(actual)) throw new JoinError(`cluster CA found in ${CLUSTER_INFO_NAME} ConfigMap is invalid: none of the public keys "${actual}" are pinned`);
  return info;
}

export async function discover(o: DiscoveryOptions): Promise<ClusterInfo> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    try {
      return await discoverOnce(o);
    } catch (err) {
      if (!(err instanceof NotYet) || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, o.retryMs ?? 500));
    }
  }
}

async function discoverOnce(o: DiscoveryOptions): Promise<ClusterInfo> {
  const url = new URL(CLUSTER_INFO_PATH, o.server).toString();
  let res: { status: number; body: string };
  try {
    res = await (o.fetchUnverified ?? fetchUnverified)(url);
  } catch (err) {
    throw new JoinError(`cannot reach ${o.server}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (res.status === 404) throw new NotYet(`GET ${url}: the cluster has no ${CLUSTER_INFO_NAME} ConfigMap (yet)`);
  if (res.status !== 200) throw new JoinError(`GET ${url}: HTTP ${res.status}`);
  let cm: { data?: Record<string, string> };
  try { cm = JSON.parse(res.body) as { data?: Record<string, string> }; } catch (err) {
    throw new JoinError(`GET ${url}: not JSON`, { cause: err });
  }
  return verifyClusterInfo(cm.data ?? {}, o);
}
