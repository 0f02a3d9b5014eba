/**
 * Chain names and constants for the netproxy's iptables rules. Per-service chains are named like
 * kube-proxy's: prefix + the first 16 characters of base32(sha256(servicePortName + protocol
 * [+ endpoint])), so a name is stable across restarts and within iptables' 28-character limit.
 */
import { createHash } from 'node:crypto';

export const CHAIN_PREFIX = 'TK-';
/** nat + filter: ClusterIP/LB/external IP dispatch (nat), REJECT of dead ClusterIPs (filter). */
export const SERVICES_CHAIN = 'TK-SERVICES';
/** nat: per NodePort, mark + jump to TK-SVC-* (policy Cluster) or one jump to TK-EXT-* (policy Local). */
export const NODEPORTS_CHAIN = 'TK-NODEPORTS';
/** nat: `-j MARK --or-mark <mark>`. */
export const MARK_MASQ_CHAIN = 'TK-MARK-MASQ';
/** nat: masquerade marked packets. */
export const POSTROUTING_CHAIN = 'TK-POSTROUTING';
/** filter: REJECT/DROP for NodePorts, LB and external IPs without (local) endpoints. */
export const EXTERNAL_SERVICES_CHAIN = 'TK-EXTERNAL-SERVICES';
/** filter: accept marked and RELATED,ESTABLISHED forwarded traffic. */
export const FORWARD_CHAIN = 'TK-FORWARD';
/** filter: the route_localnet guard. */
export const FIREWALL_CHAIN = 'TK-FIREWALL';

export const SVC_PREFIX = 'TK-SVC-';
export const SVL_PREFIX = 'TK-SVL-';
export const EXT_PREFIX = 'TK-EXT-';
export const SEP_PREFIX = 'TK-SEP-';
/** Prefixes of the per-service chains (all in nat): the ones partial syncs rewrite and stale-chain cleanup removes. */
export const SERVICE_CHAIN_PREFIXES = [SVC_PREFIX, SVL_PREFIX, EXT_PREFIX, SEP_PREFIX] as const;

export const FILTER_CHAINS = [SERVICES_CHAIN, EXTERNAL_SERVICES_CHAIN, FORWARD_CHAIN, FIREWALL_CHAIN] as const;
export const NAT_CHAINS = [SERVICES_CHAIN, NODEPORTS_CHAIN, POSTROUTING_CHAIN, MARK_MASQ_CHAIN] as const;

export const MAX_CHAIN_NAME = 28;
export const DEFAULT_MASQUERADE_MARK = '0x4000';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed: callers keep a 16-character prefix). */
function base32(buf: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** Names are recomputed on every sync for every service: remember them (bounded). */
const memo = new Map<string, string>();
const MEMO_MAX = 200_000;

function hash16(s: string): string {
  let h = memo.get(s);
  if (h === undefined) {
    h = base32(createHash('sha256').update(s).digest()).slice(0, 16);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(s, h);
  }
  return h;
}

/** kube-proxy's portProtoHash: servicePortName ("ns/svc:port") + lower-case protocol. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol.toLowerCase());
}

export function serviceChainName(servicePortName: string, protocol: string): string {
  return SVC_PREFIX + portProtoHash(servicePortName, protocol);
}

export function serviceLocalChainName(servicePortName: string, protocol: string): string {
  return SVL_PREFIX + portProtoHash(servicePortName, protocol);
}

export function externalChainName(servicePortName: string, protocol: string): string {
  return EXT_PREFIX + portProtoHash(servicePortName, protocol);
}

/** kube-proxy's servicePortEndpointChainName; endpoint is "ip:port". */
export function endpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return SEP_PREFIX + hash16(servicePortName + protocol.toLowerCase() + endpoint);
}

export function isServiceChain(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
}

/** nat: the NodePorts of one protocol in one port range, when TK-NODEPORTS dispatches on ranges. */
export const NODEPORT_RANGE_PREFIX = `${NODEPORTS_CHAIN}-`;

/** "TK-NODEPORTS-TCP-30016": the range chain of `protocol` starting at port `first`. */
export function nodePortRangeChainName(protocol: string, first: number): string {
  return `${NODEPORT_RANGE_PREFIX}${protocol.toUpperCase()}-${first}`;
}

/** Chains that come and go with the services (per-service chains and NodePort range chains): stale ones are deleted. */
export function isDynamicChain(chain: string): boolean {
  return isServiceChain(chain) || chain.startsWith(NODEPORT_RANGE_PREFIX);
}
