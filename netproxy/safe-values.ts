/**
 * What the renderer may write into an iptables-restore payload, checked where the rules are made
 * (DESIGN §11: a value that reaches the kernel is checked where it is used). Addresses must be
 * strict dotted-quad IPv4 (the one grammar of lib/net/ipv4.ts), ports integers 1-65535, a service
 * port name the "ns/name[:port]" of API names (it goes into quoted comments). service-state.ts
 * drops and logs each bad value with its service and field; the renderer leaves out any service
 * port that still carries one, so a bad stored value never reaches the kernel nor fails a restore.
 */
import { isIPv4 } from '../control/util/ipv4.js';
import { PROTOCOLS } from './types.js';
import type { ProxyEndpoint, ServicePort } from './types.js';

export { isIPv4 };

export const isPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

/** ClientIP affinity timeouts upstream accepts (1 s to a day). */
export const isAffinitySeconds = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 86400;

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Namespace, service and port names as the API allows them: lowercase DNS names, nothing to escape. */
export const isApiName = (s: unknown): s is string => typeof s === 'string' && s.length <= 253 && NAME.test(s);

/** "ns/name" or "ns/name:port". */
export function isServicePortName(s: string): boolean {
  const slash = s.indexOf('/');
  const [name = '', port, extra] = s.slice(slash + 1).split(':');
  return slash > 0 && isApiName(s.slice(0, slash)) && isApiName(name) && extra === undefined && (port === undefined || isApiName(port));
}

const safeEndpoint = (e: ProxyEndpoint): boolean => isIPv4(e.ip) && isPort(e.port);

/** True when every value of the service port can be written into rules as it is. */
export function isRenderable(sp: ServicePort): boolean {
  return isServicePortName(sp.name)
    && (sp.clusterIP === '' || isIPv4(sp.clusterIP))
    && isPort(sp.port)
    && (PROTOCOLS as readonly string[]).includes(sp.protocol)
    && (sp.nodePort === undefined || isPort(sp.nodePort))
    && (sp.affinityTimeoutSeconds === undefined || isAffinitySeconds(sp.affinityTimeoutSeconds))
    && sp.externalIPs.every(isIPv4)
    && sp.loadBalancerIPs.every(isIPv4)
    && sp.endpoints.every(safeEndpoint);
}
