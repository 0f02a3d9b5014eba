/**
 * PURE: the service environment of a pod, as the kubelet builds it (getServiceEnvVarMap and
 * envvars.FromServices): the `kubernetes` service of `default` always, and with enableServiceLinks
 * (default true) every service of the pod's namespace that has a cluster IP, each as
 * <NAME>_SERVICE_HOST, <NAME>_SERVICE_PORT[_<PORTNAME>] and the Docker link variables
 * <NAME>_PORT, <NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR].
 */
import type { Pod, Service } from 'kubernetes-types/core/v1.js';

/** What the agent knows of the cluster's services (an informer's cache). */
export interface ServiceLister {
  /** False until the services were listed once: env built before that would miss KUBERNETES_SERVICE_HOST. */
  hasSynced(): boolean;
  /** Every service, all namespaces. */
  list(): Service[];
}

const MASTER_SERVICES = new Set(['kubernetes']);

const isServiceIPSet = (s: Service): boolean => !!s.spec?.clusterIP && s.spec.clusterIP !== 'None';

/** upstream makeEnvVariableName: upper case, '-' becomes '_'. */
const envName = (s: string): string => s.replace(/-/g, '_').toUpperCase();

const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

function linkVariables(svc: Service, prefix: string, out: Map<string, string>): void {
  const ip = svc.spec?.clusterIP ?? '';
  (svc.spec?.ports ?? []).forEach((sp, i) => {
    const proto = (sp.protocol || 'TCP');
    const url = `${proto.toLowerCase()}://${hostPort(ip, sp.port)}`;
    if (i === 0) out.set(`${prefix}_PORT`, url);
    const p = `${prefix}_PORT_${sp.port}_${proto.toUpperCase()}`;
    out.set(p, url);
    out.set(`${p}_PROTO`, proto.toLowerCase());
    out.set(`${p}_PORT`, String(sp.port));
    out.set(`${p}_ADDR`, ip);
  });
}

/** PURE: the variables of the given services (upstream envvars.FromServices), in its order. */
export function serviceVariables(services: readonly Service[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const svc of services) {
    const ports = svc.spec?.ports ?? [];
    if (!isServiceIPSet(svc) || ports.length === 0) continue;
    const prefix = envName(svc.metadata?.name ?? '');
    out.set(`${prefix}_SERVICE_HOST`, svc.spec?.clusterIP ?? '');
    out.set(`${prefix}_SERVICE_PORT`, String(ports[0]!.port));
    for (const sp of ports) if (sp.name) out.set(`${prefix}_SERVICE_PORT_${envName(sp.name)}`, String(sp.port));
    linkVariables(svc, prefix, out);
  }
  return out;
}

/** PURE: which services a pod of `namespace` gets variables for (upstream getServiceEnvVarMap). */
export function servicesForPod(all: readonly Service[], namespace: string, enableServiceLinks: boolean): Service[] {
  const byName = new Map<string, Service>();
  for (const svc of all) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata?.name ?? '';
    const ns = svc.metadata?.namespace ?? 'default';
    if (ns === 'default' && MASTER_SERVICES.has(name)) {
      if (!byName.has(name)) byName.set(name, svc);
    } else if (ns === namespace && enableServiceLinks) {
      byName.set(name, svc);
    }
  }
  return [...byName.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** PURE: the service environment of a pod. */
export function podServiceEnv(pod: Pod, services: readonly Service[]): Map<string, string> {
  return serviceVariables(servicesForPod(services, pod.metadata?.namespace ?? 'default', pod.spec?.enableServiceLinks ?? true));
}
