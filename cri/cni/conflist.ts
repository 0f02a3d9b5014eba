/**
 * Renders the node's pod network as a CNI conflist (pure). bridge + host-local carry the pod IPs,
 * portmap serves hostPort, firewall lets pod-to-pod traffic past Docker's FORWARD DROP (G6).
 */
import { formatIpv4, isIPv4Network, parseCidr, parseIpv4 } from '../../lib/net/ipv4.js';
import { CriError } from '../errors.js';
import type { CniConflist } from './types.js';

export interface ConflistOptions {
  /** Network name (also the host-local subdirectory under dataDir). */
  name: string;
  /** Linux bridge name, at most 15 characters. */
  bridge: string;
  /** The node's podCIDR, e.g. 10.244.1.0/24. */
  subnet: string;
  /** Default: the first host address of the subnet. */
  gateway?: string;
  /** host-local state directory (one file per allocated IP). */
  dataDir: string;
  /** Include the firewall plugin. Default true. */
  firewall?: boolean;
}

/** A conflist without its subnet: rendered once the node's podCIDR is known (updateRuntimeConfig). */
export type ConflistTemplate = Omit<ConflistOptions, 'subnet' | 'gateway'>;

/**
 * PURE. The conflist for one node. Throws CriError('InvalidArgument') on a bad subnet, gateway or
 * bridge: the subnet (the node's podCIDR, from its Node object) must be a strict IPv4 CIDR in
 * network form (lib/net/ipv4.ts) and the gateway a strict IPv4 address inside it.
 */
export function renderConflist(opts: ConflistOptions): CniConflist {
  if (!/^[A-Za-z0-9][-A-Za-z0-9_.]{0,14}$/.test(opts.bridge)) {
    throw new CriError('InvalidArgument', `bridge name ${JSON.stringify(opts.bridge)} must be 1-15 characters`);
  }
  if (!isIPv4Network(opts.subnet)) {
    throw new CriError('InvalidArgument', `subnet ${JSON.stringify(opts.subnet)} is not an IPv4 CIDR in network form`);
  }
  const gateway = opts.gateway ?? firstHost(opts.subnet);
  const net = parseCidr(opts.subnet);
  const gw = parseIpv4(gateway);
  if (net === undefined || gw === undefined || gw < net.base || gw >= net.base + net.size) {
    throw new CriError('InvalidArgument', `gateway ${JSON.stringify(gateway)} is not an IPv4 address in subnet ${opts.subnet}`);
  }
  const plugins: CniConflist['plugins'] = [
    {
      type: 'bridge',
      bridge: opts.bridge,
      isGateway: true,
      ipMasq: false,
      hairpinMode: true,
      ipam: {
        type: 'host-local',
        ranges: [[{ subnet: opts.subnet, gateway }]],
        routes: [{ dst: '0.0.0.0/0' }],
        dataDir: opts.dataDir,
      },
    },
    { type: 'portmap', capabilities: { portMappings: true } },
  ];
  if (opts.firewall ?? true) plugins.push({ type: 'firewall', backend: 'iptables' });
  return { cniVersion: '1.0.0', name: opts.name, plugins };
}


/** "10.244.1.0/24" → "10.244.1.1". Throws CriError('InvalidArgument') when not an IPv4 CIDR with room for hosts. */
export function firstHost(cidr: string): string {
  const c = parseCidr(cidr);
  if (c === undefined || c.prefix > 30) {
    throw new CriError('InvalidArgument', `subnet ${JSON.stringify(cidr)} is not an IPv4 CIDR with room for hosts`);
  }
  return formatIpv4(c.base + 1);
}

/** What containerd's conf_template replaces with the node's podCIDR (UpdateRuntimeConfig, Go text/template). */
export const POD_CIDR_PLACEHOLDER = '{{.PodCIDR}}';

/**
 * PURE. The same network as renderConflist, as a template for containerd's CRI plugin: the subnet is
 * {{.PodCIDR}} and the gateway is left to host-local's default (the subnet's first host, as above),
 * so a containerd node and a Docker node with the same template get the same pod network.
 */
export function renderConflistTemplate(t: ConflistTemplate): CniConflist {
  const rendered = renderConflist({ ...t, subnet: '10.0.0.0/24' }); // validates the bridge name
  const [bridge, ...rest] = rendered.plugins;
  const ipam = bridge?.['ipam'] as Record<string, unknown>;
  return { ...rendered, plugins: [{ ...bridge!, ipam: { ...ipam, ranges: [[{ subnet: POD_CIDR_PLACEHOLDER }]] } }, ...rest] };
}
