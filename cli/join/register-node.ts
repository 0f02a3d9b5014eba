/**
 * The node registers itself before it asks for its serving certificate, as the kubelet does: the
 * CSR approver signs only names and addresses the Node reports (control/controllers/csr-approver/
 * serving-sans.ts), so the Node must exist with its addresses first. The Node is the one the agent
 * would create (its labels and annotations; the agent finds it and posts the full status).
 */
import { arch } from 'node:os';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { isApiError } from '../../control/api/status.js';
import type { RestClient } from '../../control/client/rest-client.js';

const NODES = findResource('', 'v1', 'nodes')!;
const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** Creates the Node `nodeName` (an existing one is kept) and sets its addresses: InternalIP and Hostname. */
export async function registerNode(client: RestClient, o: { nodeName: string; nodeIP: string }): Promise<void> {
  const architecture = GOARCH[arch()] ?? arch();
  const node: Node = {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: o.nodeName,
      labels: {
        'kubernetes.io/hostname': o.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': architecture,
        'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': architecture,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {},
  };
  try {
    await client.create<Node & KubeObject>(NODES, undefined, node as KubeObject);
  } catch (err) {
    if (!(isApiError(err) && err.code === 409)) throw new Error(`register node ${o.nodeName}`, { cause: err });
  }
  const addresses = [{ type: 'InternalIP', address: o.nodeIP }, { type: 'Hostname', address: o.nodeName }];
  await client.patch(NODES, undefined, o.nodeName, 'merge', { status: { addresses } }, { subresource: 'status' });
}
