/**
 * PodSandboxConfig and ContainerConfig: contract ↔ wire. The sandbox's host network is
 * `linux.hostNetwork` in the contract and namespace_options.network NODE on the wire (for the
 * sandbox and, as kubelet sends it, for each of its containers).
 */
import type { ContainerConfig, PodSandboxConfig, PortMapping } from '../types.js';
import {
  containerSecurityFromWire, containerSecurityToWire, deviceToWire, devicesFromWire, hostNetworkFromWire, mountToWire,
  mountsFromWire, resourcesFromWire, resourcesToWire, sandboxSecurityFromWire, sandboxSecurityToWire,
} from './convert-security.js';
import { compact, list, optList, optMap, optNum, optStr, optTrue, strMap } from './convert-values.js';
import type { Maybe, WContainerConfig, WPodSandboxConfig, WPortMapping } from './wire.js';

const portToWire = (p: PortMapping): WPortMapping => ({
  protocol: p.protocol, container_port: p.containerPort, host_port: p.hostPort ?? 0, host_ip: p.hostIp ?? '',
});
function portFromWire(w: WPortMapping): PortMapping {
  const protocol = w.protocol === 'UDP' || w.protocol === 'SCTP' ? w.protocol : 'TCP';
  return { protocol, containerPort: w.container_port ?? 0, ...compact({ hostPort: optNum(w.host_port), hostIp: optStr(w.host_ip) }) };
}

export function podSandboxConfigToWire(c: PodSandboxConfig): WPodSandboxConfig {
  const hostNetwork = c.linux?.hostNetwork === true;
  return {
    metadata: { ...c.metadata },
    hostname: c.hostname ?? '',
    log_directory: c.logDirectory ?? '',
    dns_config: c.dnsConfig === undefined ? undefined : { servers: [...c.dnsConfig.servers], searches: [...c.dnsConfig.searches], options: [...c.dnsConfig.options] },
    port_mappings: (c.portMappings ?? []).map(portToWire),
    labels: strMap(c.labels),
    annotations: strMap(c.annotations),
    linux: {
      cgroup_parent: c.linux?.cgroupParent ?? '',
      security_context: sandboxSecurityToWire(c.linux?.securityContext, hostNetwork),
      sysctls: strMap(c.linux?.sysctls),
    },
  };
}

export function podSandboxConfigFromWire(w: Maybe<WPodSandboxConfig>): PodSandboxConfig {
  const m = w?.metadata;
  const dns = w?.dns_config;
  const sc = w?.linux?.security_context;
  return {
    metadata: { name: m?.name ?? '', uid: m?.uid ?? '', namespace: m?.namespace ?? '', attempt: m?.attempt ?? 0 },
    ...compact({
      hostname: optStr(w?.hostname),
      logDirectory: optStr(w?.log_directory),
      dnsConfig: dns === null || dns === undefined ? undefined : { servers: list(dns.servers), searches: list(dns.searches), options: list(dns.options) },
      portMappings: optList(w?.port_mappings)?.map(portFromWire),
      labels: optMap(w?.labels),
      annotations: optMap(w?.annotations),
      linux: w?.linux === null || w?.linux === undefined ? undefined : compact({
        cgroupParent: optStr(w.linux.cgroup_parent),
        hostNetwork: hostNetworkFromWire(sc?.namespace_options),
        securityContext: sandboxSecurityFromWire(sc),
        sysctls: optMap(w.linux.sysctls),
      }),
    }),
  };
}

/** `hostNetwork`: the sandbox's, repeated in the container's namespace options as kubelet does. */
export function containerConfigToWire(c: ContainerConfig, opts: { hostNetwork?: boolean } = {}): WContainerConfig {
  return {
    metadata: { ...c.metadata },
    image: { image: c.image.image, annotations: {} },
    command: [...(c.command ?? [])],
    args: [...(c.args ?? [])],
    working_dir: c.workingDir ?? '',
    envs: (c.envs ?? []).map((e) => ({ key: e.key, value: e.value })),
    mounts: (c.mounts ?? []).map(mountToWire),
    devices: (c.devices ?? []).map(deviceToWire),
    labels: strMap(c.labels),
    annotations: strMap(c.annotations),
    log_path: c.logPath ?? '',
    stdin: c.stdin ?? false,
    stdin_once: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: {
      resources: resourcesToWire(c.linux?.resources),
      security_context: containerSecurityToWire(c.linux?.securityContext, opts.hostNetwork === true),
    },
  };
}

export function containerConfigFromWire(w: Maybe<WContainerConfig>): ContainerConfig {
  const m = w?.metadata;
  const linux = w?.linux;
  return {
    metadata: { name: m?.name ?? '', attempt: m?.attempt ?? 0 },
    image: { image: w?.image?.image ?? '' },
    ...compact({
      command: optList(w?.command),
      args: optList(w?.args),
      workingDir: optStr(w?.working_dir),
      envs: optList(w?.envs)?.map((e) => ({ key: e.key ?? '', value: e.value ?? '' })),
      mounts: mountsFromWire(w?.mounts),
      devices: devicesFromWire(w?.devices),
      labels: optMap(w?.labels),
      annotations: optMap(w?.annotations),
      logPath: optStr(w?.log_path),
      stdin: optTrue(w?.stdin),
      stdinOnce: optTrue(w?.stdin_once),
      tty: optTrue(w?.tty),
      linux: linux === null || linux === undefined ? undefined : compact({
        resources: resourcesFromWire(linux.resources),
        securityContext: containerSecurityFromWire(linux.security_context),
      }),
    }),
  };
}
