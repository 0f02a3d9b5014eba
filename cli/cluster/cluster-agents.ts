/**
 * The nodes of a local cluster: each joins like a machine would (`tinykube join` inside its node
 * netns with a bootstrap token: its own client and serving certificates through CSRs), then runs
 * its agent; and the wait until every Node is Ready, adding the host route to each node's podCIDR
 * as the control plane's IPAM hands them out.
 */
import { AGENT_NODE_FLAGS } from '../daemon-node.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { RestClient } from '../../control/client/rest-client.js';
import { HttpsTransport } from '../../control/client/transport.js';
import { DEFAULT_NODE_TOKEN_GROUP } from '../../control/api/bootstrap-token.js';
import { caCertHash } from '../../control/pki/ca-cert-hash.js';
import { TOKEN_ENV } from '../join/join-command.js';
import { connectWithKubeconfig, createToken } from '../token/token-command.js';
import type { ClusterPlan, NodePlan } from './cluster-plan.js';
import { POD_BRIDGE } from './cluster-plan.js';

const NODES = findResource('', 'v1', 'nodes')!;

export const kubeconfigOf = (p: ClusterPlan): string => join(p.dataDir, 'admin.kubeconfig');
export const agentLogOf = (n: NodePlan): string => join(n.dataDir, 'agent.log');

/** What a node's `join` needs: a bootstrap token and the CA pin. */
export interface NodeJoin { server: string; token: string; caCertHash: string }

/** A bootstrap token for this cluster's nodes (valid 1 h: long enough for `up`) and the CA pin. */
export async function nodeJoinCredentials(p: ClusterPlan, server: string): Promise<NodeJoin> {
  const c = await connectWithKubeconfig(kubeconfigOf(p));
  try {
    const token = await createToken(c, {
      ttlMs: 3_600_000, description: `tinykube cluster up ${p.name}`, usages: ['authentication', 'signing'],
      groups: [DEFAULT_NODE_TOKEN_GROUP], printJoinCommand: false,
    }, new Date());
    return { server, token, caCertHash: caCertHash(c.caCertPem) };
  } finally {
    c.close();
  }
}

/**
 * PURE. The command line of a node (run under `ip netns exec <node netns>`): `tinykube join`
 * in the foreground, which bootstraps the node's own credentials and then runs its agent. The
 * bootstrap token is not on it (`ps` shows command lines to every user): see joinEnvironment.
 */
export function agentCommandLine(p: ClusterPlan, n: NodePlan, o: { node: string; main: string; runtimeEndpoint: string; join: NodeJoin }): string[] {
  return ['netns', 'exec', n.netns, o.node, ...AGENT_NODE_FLAGS, o.main, 'join', o.join.server,
    '--ca-cert-hash', o.join.caCertHash, '--foreground',
    '--data-dir', n.dataDir, '--node-name', n.name, '--node-ip', n.ip,
    '--runtime-endpoint', o.runtimeEndpoint, '--bridge', POD_BRIDGE, '--cluster-dns', p.clusterDNS,
    '--network-mode', 'node', '--service-cidr', p.serviceCidr, '--cluster-cidr', p.clusterCidr];
}

/** PURE. The environment that carries the bootstrap token to a node's `join` ($TINYKUBE_TOKEN). */
export const joinEnvironment = (j: NodeJoin): Record<string, string> => ({ [TOKEN_ENV]: j.token });

export interface WaitNodesOptions {
  plan: ClusterPlan;
  apiPort: number;
  timeoutMs: number;
  /** Called once per node as soon as its podCIDR is known. */
  onPodCidr(node: NodePlan, podCidr: string): Promise<void>;
  /** Throws when an agent died (with where its log is). */
  checkAlive(): void;
  tick(): void;
  signal: AbortSignal;
}

/** Resolves when every planned Node is Ready and its podCIDR route is in place. */
export async function waitForNodes(o: WaitNodesOptions): Promise<void> {
  const p = o.plan;
  const transport = new HttpsTransport({
    server: `https://${p.hostIP}:${o.apiPort}`,
    caCertPem: await readFile(join(p.dataDir, 'pki', 'ca.crt'), 'utf8'),
    token: (await readFile(join(p.dataDir, 'admin.token'), 'utf8')).trim(),
  });
  const client = new RestClient(transport);
  const routed = new Set<string>();
  try {
    const deadline = Date.now() + o.timeoutMs;
    while (Date.now() < deadline) {
      if (o.signal.aborted) throw new Error('interrupted');
      o.checkAlive();
      const list = await client.list<Node & KubeObject>(NODES).catch(() => undefined); // not answering yet: look again until the deadline
      const byName = new Map((list?.items ?? []).map((n) => [n.metadata?.name ?? '', n]));
      let ready = 0;
      for (const n of p.nodes) {
        const node = byName.get(n.name);
        const cidr = node?.spec?.podCIDR;
        if (cidr !== undefined && !routed.has(n.name)) {
          await o.onPodCidr(n, cidr);
          routed.add(n.name);
        }
        if (routed.has(n.name) && node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready++;
      }
      if (ready === p.nodes.length) return;
      o.tick();
      await new Promise((r) => setTimeout(r, 500));
    }
    const missing = p.nodes.filter((n) => !routed.has(n.name)).map((n) => n.name);
    throw new Error(`nodes not Ready after ${o.timeoutMs / 1000}s${missing.length ? ` (no podCIDR: ${missing.join(', ')})` : ''}: see ${p.nodes.map(agentLogOf).join(', ')}`);
  } finally {
    transport.close();
  }
}
