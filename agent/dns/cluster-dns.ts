/**
 * The agent's cluster DNS: informers on Services and EndpointSlices (all namespaces) feed the
 * resolver; answers on UDP and TCP at `listen` (in a node: the DNS service address 10.96.0.10:53,
 * which node setup puts on `lo`, so every pod's queries reach its own node's agent).
 */
import type { Logger } from 'pino';
import { findResource } from '../../control/api/resources.js';
import { ListWatchInformer } from '../../control/client/informer.js';
import type { RestClient } from '../../control/client/rest-client.js';
import type { Runnable } from '../network/runnable.js';
import { createDnsHandler } from './dns-handler.js';
import { CacheDnsView, addDnsIndexes } from './dns-view.js';
import type { ServiceObj, SliceObj } from './dns-view.js';
import { serveDns } from './dns-server.js';
import type { ListenAddress } from './dns-server.js';
import { createUdpForwarder } from './forwarder.js';

const SERVICES = findResource('', 'v1', 'services')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

export interface ClusterDnsOptions {
  client: RestClient;
  listen: ListenAddress;
  log: Logger;
  /** Default cluster.local. */
  clusterDomain?: string;
  /** Resolvers for names outside the cluster ("ip" or "ip:port"); default none: SERVFAIL at once. */
  upstreams?: readonly string[];
  /** Serve TCP too (default true). */
  tcp?: boolean;
}

export class ClusterDns implements Runnable {
  readonly services: ListWatchInformer<ServiceObj>;
  readonly slices: ListWatchInformer<SliceObj>;
  private readonly log: Logger;
  private resolveListening!: (l: ListenAddress) => void;
  /** Resolves with the bound address once the sockets listen. */
  readonly listening = new Promise<ListenAddress>((r) => { this.resolveListening = r; });

  constructor(private readonly o: ClusterDnsOptions) {
    this.log = o.log.child({ component: 'cluster-dns' });
    this.services = new ListWatchInformer<ServiceObj>({ client: o.client, ri: SERVICES, log: this.log, retryDelayMs: 1000 });
    this.slices = new ListWatchInformer<SliceObj>({ client: o.client, ri: SLICES, log: this.log, retryDelayMs: 1000 });
    addDnsIndexes(this.services, this.slices);
  }

  async run(signal: AbortSignal): Promise<void> {
    const view = new CacheDnsView({ services: this.services.cache, slices: this.slices.cache });
    const forward = this.o.upstreams?.length
      ? createUdpForwarder({ upstreams: this.o.upstreams, exclude: [this.o.listen] })
      : undefined;
    const handler = createDnsHandler({
      view, log: this.log, zone: this.o.clusterDomain ?? 'cluster.local',
      ready: () => this.services.hasSynced() && this.slices.hasSynced(),
      ...(forward ? { forward } : {}),
    });
    await Promise.all([
      this.services.run(signal),
      this.slices.run(signal),
      serveDns({ handler, listen: this.o.listen, log: this.log, tcp: this.o.tcp, onListening: (l) => this.resolveListening(l) }, signal),
    ]);
  }
}

/** The cluster DNS server; run() serves until the signal aborts. */
export function startClusterDns(opts: ClusterDnsOptions): ClusterDns {
  return new ClusterDns(opts);
}
