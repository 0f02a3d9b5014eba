/**
 * The agent's network duties besides pods, by mode: `none` (tests: the host is left alone),
 * `node` (a node of `tinykube cluster`, inside its network namespace) and `host` (`tinykube up`):
 * the one-time node setup when the podCIDR is known, then host-gw routes to the other nodes,
 * the node-local cluster DNS at the DNS service address, and netproxy's service rules.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RestClient } from '../control/client/rest-client.js';
import { startNetproxy } from '../netproxy/netproxy.js';
import { startClusterDns } from './dns/cluster-dns.js';
import { setupNodeNetwork } from './network/node-setup.js';
import { startPodRoutes } from './network/routes.js';

export type NetworkMode = 'none' | 'node' | 'host';

export interface NodeNetworkingOptions {
  mode: NetworkMode;
  client: RestClient;
  nodeName: string;
  nodeIP: string;
  bridge: string;
  serviceCidr: string;
  clusterCidr: string;
  dnsIP: string;
  log: Logger;
  registry?: Registry;
}

export class NodeNetworking {
  constructor(private readonly o: NodeNetworkingOptions) {}

  /** Called once with the node's podCIDR, before any pod runs. */
  async configure(podCidr: string): Promise<void> {
    if (this.o.mode === 'none') return;
    await setupNodeNetwork({
      mode: this.o.mode, bridge: this.o.bridge, podCidr, serviceCidr: this.o.serviceCidr, clusterCidr: this.o.clusterCidr,
      nodeIP: this.o.nodeIP, dnsIP: this.o.dnsIP, log: this.o.log,
    });
  }

  /** Routes, DNS and netproxy until the signal aborts (nothing in mode none). */
  async run(signal: AbortSignal): Promise<void> {
    if (this.o.mode === 'none') return;
    const { client, log } = this.o;
    await Promise.all([
      startPodRoutes({ client, nodeName: this.o.nodeName, log }).run(signal),
      startClusterDns({ client, listen: { address: this.o.dnsIP, port: 53 }, log }).run(signal),
      startNetproxy({
        client, nodeName: this.o.nodeName, nodeIPs: [this.o.nodeIP], clusterCIDR: this.o.clusterCidr, serviceCIDR: this.o.serviceCidr,
        log, registry: this.o.registry,
      }).run(signal),
    ]);
  }
}
