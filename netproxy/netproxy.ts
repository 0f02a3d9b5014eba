/**
 * The netproxy as the agent runs it: informers on Services and EndpointSlices feed
 * buildProxyState, whose result goes to a debounced Proxier over iptables (the host's, or a
 * node netns's). Imports only control/api, control/client and control/util.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { ListWatchInformer } from '../control/client/informer.js';
import type { RestClient } from '../control/client/rest-client.js';
import { DEFAULT_MASQUERADE_MARK } from './chains.js';
import { ExecConntrack } from './conntrack.js';
import { ExecIptables } from './iptables.js';
import { Proxier } from './proxier.js';
import { ProxyStateBuilder } from './service-state.js';
import type { Conntrack, Iptables } from './types.js';

export interface NetproxyOptions {
  client: RestClient;
  nodeName: string;
  nodeIPs: readonly string[];
  clusterCIDR: string;
  serviceCIDR: string;
  /** Default: ExecIptables in the current netns (backend detected). */
  iptables?: Iptables;
  /** Default: ExecConntrack in the current netns. */
  conntrack?: Conntrack;
  log: Logger;
  registry?: Registry;
  /** Default 1 s. */
  minSyncIntervalMs?: number;
  /** Default 30 s. */
  syncPeriodMs?: number;
}

export interface Runnable { run(signal: AbortSignal): Promise<void> }

const SERVICES = findResource('', 'v1', 'services');
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices');

export function startNetproxy(o: NetproxyOptions): Runnable {
  if (!SERVICES || !SLICES) throw new Error('netproxy: services or endpointslices missing from the resource table');
  const log = o.log.child({ component: 'netproxy' });
  const services = new ListWatchInformer<Service & KubeObject>({ client: o.client, ri: SERVICES, log });
  const slices = new ListWatchInformer<EndpointSlice & KubeObject>({ client: o.client, ri: SLICES, log });
  const proxier = new Proxier({
    iptables: o.iptables ?? new ExecIptables({ log }),
    conntrack: o.conntrack ?? new ExecConntrack(),
    log,
    render: { masqueradeMark: DEFAULT_MASQUERADE_MARK, clusterCIDR: o.clusterCIDR, serviceCIDR: o.serviceCIDR },
    minSyncIntervalMs: o.minSyncIntervalMs,
    syncPeriodMs: o.syncPeriodMs,
    registry: o.registry,
  });

  const builder = new ProxyStateBuilder({ log });
  let synced = false;
  let queued = false;
  /** Rebuild the state once per burst of informer events (the proxier debounces the sync). */
  const update = () => {
    if (!synced || queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      proxier.setState(builder.build({
        services: services.cache.list(), slices: slices.cache.list(), nodeName: o.nodeName, nodeIPs: o.nodeIPs,
      }));
    });
  };
  for (const inf of [services, slices] as const) {
    (inf as ListWatchInformer<KubeObject>).on({ add: update, update, delete: update });
  }

  return {
    async run(signal: AbortSignal): Promise<void> {
      const runs = [services.run(signal), slices.run(signal)];
      // the first sync waits for both caches, so it never rejects services whose slices are late
      if ((await services.waitForSync(signal)) && (await slices.waitForSync(signal))) {
        synced = true;
        log.info({ node: o.nodeName }, 'Started netproxy');
        update();
      }
      await Promise.all(runs);
      proxier.close();
    },
  };
}
