/**
 * Renders the node's pod network as a CNI conflist (pure). bridge + host-local carry the pod IPs,
 * portmap serves hostPort, firewall lets pod-to-pod traffic past Docker's FORWARD DROP (G6).
 */
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

/** PURE. The conflist for one node. Throws CriError('InvalidArgument') on a bad subnet or bridge. */
export function renderConflist(opts: ConflistOptions): CniConflist {
  if (opts.bridge.length === 0 || opts.bridge.length > 15) {
    throw new CriError('InvalidArgument', `bridge name ${JSON.stringify(opts.bridge)} must be 1-15 characters`);
  }
  const gateway = opts.gateway ?? firstHost(opts.subnet);
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


/** "10.244.1.0/24" → "10.244.1.1". Throws CriError('InvalidArgument') when not an IPv4 CIDR. */
export function firstHost(cidr: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(m?.[5]);
  if (m === null || octets.some((o) => o > 255) || prefix > 30) {
    throw new CriError('InvalidArgument', `subnet ${JSON.stringify(cidr)} is not an IPv4 CIDR with room for hosts`);
  }
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  const base = (((a << 24) >>> 0) + (b << 16) + (c << 8) + d) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const host = ((base & mask) >>> 0) + 1;
  return [host >>> 24, (host >>> 16) & 255, (host >>> 8) & 255, host & 255].join('.');
}
