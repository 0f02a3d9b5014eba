/**
 * The one parser of runtime endpoint URLs (kubelet's --container-runtime-endpoint, crictl's -r):
 *   docker:///var/run/docker.sock                  → dockerd's Engine API socket
 *   containerd:///run/containerd/containerd.sock   → containerd's socket
 *   unix:///path                                   → dockerd when the file is docker.sock, else a CRI endpoint
 * Kind 'containerd' means any CRI v1 gRPC endpoint (RemoteRuntime): containerd's socket or a
 * Docker node's <data-dir>/cri.sock; `address` is its socket path.
 * PURE. A malformed endpoint is a CriError 'InvalidArgument'; command lines turn it into a usage error.
 */
import { CriError } from './errors.js';

export type RuntimeEndpoint = { kind: 'docker'; socketPath: string } | { kind: 'containerd'; address: string };

export function parseRuntimeEndpoint(endpoint: string): RuntimeEndpoint {
  const m = /^(docker|containerd|unix):\/\/(\/.*)$/.exec(endpoint);
  const scheme = m?.[1];
  const path = m?.[2];
  if (scheme === undefined || path === undefined || path === '/') {
    throw new CriError('InvalidArgument',
      `runtime endpoint "${endpoint}": want docker:///path/to/docker.sock, containerd:///path/to/containerd.sock or unix:///path`);
  }
  if (scheme === 'containerd' || (scheme === 'unix' && !/(^|\/)docker\.sock$/.test(path))) return { kind: 'containerd', address: path };
  return { kind: 'docker', socketPath: path };
}
