/**
 * Linux security contexts, namespaces, resources, mounts and devices: contract ↔ wire.
 * Namespace defaults differ: the contract leaves out pid CONTAINER and ipc POD (what kubelet asks for
 * ordinary pods), the wire's zero value is POD. So to-wire always writes pid and ipc, and from-wire
 * leaves out only the contract defaults: a peer that sends no namespace options means pid POD.
 */
import type {
  Device, LinuxContainerResources, LinuxContainerSecurityContext, LinuxSandboxSecurityContext, Mount,
  NamespaceMode, NamespaceOption, SecurityProfile, SELinuxOption,
} from '../types.js';
import {
  compact, i64, num, optI64, optList, optMap, optNum, optStr, optTrue, unwrap64, wrap64,
} from './convert-values.js';
import type {
  Maybe, WDevice, WLinuxContainerResources, WLinuxContainerSecurityContext, WLinuxSandboxSecurityContext, WMount,
  WNamespaceOption, WSecurityProfile, WSELinuxOption,
} from './wire.js';

const MODES: readonly string[] = ['POD', 'CONTAINER', 'NODE'];
const mode = (v: Maybe<string>): NamespaceMode => (v !== null && v !== undefined && MODES.includes(v) ? (v as NamespaceMode) : 'POD');

export function namespaceOptionToWire(ns: NamespaceOption | undefined, network: 'POD' | 'NODE'): WNamespaceOption {
  return { network, pid: ns?.pid ?? 'CONTAINER', ipc: ns?.ipc ?? 'POD' };
}
export function namespaceOptionFromWire(w: Maybe<WNamespaceOption>): NamespaceOption | undefined {
  const pid = mode(w?.pid);
  const ipc = mode(w?.ipc);
  return compact<NamespaceOption>({ pid: pid === 'CONTAINER' ? undefined : pid, ipc: ipc === 'POD' ? undefined : ipc });
}
export const hostNetworkFromWire = (w: Maybe<WNamespaceOption>): true | undefined => optTrue(w?.network === 'NODE');

const PROFILE_TYPES: readonly string[] = ['RuntimeDefault', 'Unconfined', 'Localhost'];
export const profileToWire = (p: SecurityProfile | undefined): WSecurityProfile | undefined =>
  p === undefined ? undefined : { profile_type: p.profileType, localhost_ref: p.localhostRef ?? '' };
export function profileFromWire(w: Maybe<WSecurityProfile>): SecurityProfile | undefined {
  if (w === null || w === undefined) return undefined;
  const t = w.profile_type ?? 'RuntimeDefault';
  const profileType = (PROFILE_TYPES.includes(t) ? t : 'RuntimeDefault') as SecurityProfile['profileType'];
  return compact<SecurityProfile>({ profileType, localhostRef: optStr(w.localhost_ref) });
}
export const selinuxToWire = (o: SELinuxOption | undefined): WSELinuxOption | undefined => (o === undefined ? undefined : { ...o });
export const selinuxFromWire = (w: Maybe<WSELinuxOption>): SELinuxOption | undefined =>
  w === null || w === undefined ? undefined : { user: w.user ?? '', role: w.role ?? '', type: w.type ?? '', level: w.level ?? '' };

export function sandboxSecurityToWire(sc: LinuxSandboxSecurityContext | undefined, hostNetwork: boolean): WLinuxSandboxSecurityContext {
  return {
    namespace_options: namespaceOptionToWire(sc?.namespaceOptions, hostNetwork ? 'NODE' : 'POD'),
    run_as_user: wrap64(sc?.runAsUser), run_as_group: wrap64(sc?.runAsGroup),
    readonly_rootfs: sc?.readonlyRootfs ?? false, supplemental_groups: (sc?.supplementalGroups ?? []).map(i64),
    privileged: sc?.privileged ?? false, seccomp: profileToWire(sc?.seccomp), apparmor: profileToWire(sc?.apparmor),
    selinux_options: selinuxToWire(sc?.selinuxOptions),
  };
}
export function sandboxSecurityFromWire(w: Maybe<WLinuxSandboxSecurityContext>): LinuxSandboxSecurityContext | undefined {
  return compact<LinuxSandboxSecurityContext>({
    namespaceOptions: namespaceOptionFromWire(w?.namespace_options),
    runAsUser: unwrap64(w?.run_as_user), runAsGroup: unwrap64(w?.run_as_group),
    readonlyRootfs: optTrue(w?.readonly_rootfs), supplementalGroups: optList(w?.supplemental_groups)?.map(num),
    privileged: optTrue(w?.privileged), seccomp: profileFromWire(w?.seccomp), apparmor: profileFromWire(w?.apparmor),
    selinuxOptions: selinuxFromWire(w?.selinux_options),
  });
}

export function containerSecurityToWire(sc: LinuxContainerSecurityContext | undefined, hostNetwork: boolean): WLinuxContainerSecurityContext {
  const caps = sc?.capabilities;
  return {
    capabilities: caps === undefined ? undefined : {
      add_capabilities: caps.addCapabilities ?? [], drop_capabilities: caps.dropCapabilities ?? [],
      add_ambient_capabilities: caps.addAmbientCapabilities ?? [],
    },
    privileged: sc?.privileged ?? false,
    namespace_options: namespaceOptionToWire(sc?.namespaceOptions, hostNetwork ? 'NODE' : 'POD'),
    run_as_user: wrap64(sc?.runAsUser), run_as_group: wrap64(sc?.runAsGroup), run_as_username: sc?.runAsUsername ?? '',
    readonly_rootfs: sc?.readonlyRootfs ?? false, supplemental_groups: (sc?.supplementalGroups ?? []).map(i64),
    no_new_privs: sc?.noNewPrivs ?? false, masked_paths: sc?.maskedPaths ?? [], readonly_paths: sc?.readonlyPaths ?? [],
    seccomp: profileToWire(sc?.seccomp), apparmor: profileToWire(sc?.apparmor), selinux_options: selinuxToWire(sc?.selinuxOptions),
  };
}
export function containerSecurityFromWire(w: Maybe<WLinuxContainerSecurityContext>): LinuxContainerSecurityContext | undefined {
  const c = w?.capabilities;
  return compact<LinuxContainerSecurityContext>({
    capabilities: c === null || c === undefined ? undefined : compact({
      addCapabilities: optList(c.add_capabilities), dropCapabilities: optList(c.drop_capabilities),
      addAmbientCapabilities: optList(c.add_ambient_capabilities),
    }) ?? {},
    privileged: optTrue(w?.privileged), namespaceOptions: namespaceOptionFromWire(w?.namespace_options),
    runAsUser: unwrap64(w?.run_as_user), runAsGroup: unwrap64(w?.run_as_group), runAsUsername: optStr(w?.run_as_username),
    readonlyRootfs: optTrue(w?.readonly_rootfs), supplementalGroups: optList(w?.supplemental_groups)?.map(num),
    noNewPrivs: optTrue(w?.no_new_privs), maskedPaths: optList(w?.masked_paths), readonlyPaths: optList(w?.readonly_paths),
    seccomp: profileFromWire(w?.seccomp), apparmor: profileFromWire(w?.apparmor), selinuxOptions: selinuxFromWire(w?.selinux_options),
  });
}

export function resourcesToWire(r: LinuxContainerResources | undefined): WLinuxContainerResources | undefined {
  if (r === undefined) return undefined;
  return {
    cpu_period: optI64(r.cpuPeriod), cpu_quota: optI64(r.cpuQuota), cpu_shares: optI64(r.cpuShares),
    memory_limit_in_bytes: optI64(r.memoryLimitInBytes), oom_score_adj: optI64(r.oomScoreAdj),
    cpuset_cpus: r.cpusetCpus, cpuset_mems: r.cpusetMems, memory_swap_limit_in_bytes: optI64(r.memorySwapLimitInBytes),
    hugepage_limits: r.hugepageLimits?.map((h) => ({ page_size: h.pageSize, limit: i64(h.limit) })), unified: r.unified,
  };
}
export function resourcesFromWire(w: Maybe<WLinuxContainerResources>): LinuxContainerResources | undefined {
  if (w === null || w === undefined) return undefined;
  return compact<LinuxContainerResources>({
    cpuPeriod: optNum(w.cpu_period), cpuQuota: optNum(w.cpu_quota), cpuShares: optNum(w.cpu_shares),
    memoryLimitInBytes: optNum(w.memory_limit_in_bytes), oomScoreAdj: optNum(w.oom_score_adj),
    cpusetCpus: optStr(w.cpuset_cpus), cpusetMems: optStr(w.cpuset_mems), memorySwapLimitInBytes: optNum(w.memory_swap_limit_in_bytes),
    hugepageLimits: optList(w.hugepage_limits)?.map((h) => ({ pageSize: h.page_size ?? '', limit: num(h.limit) })),
    unified: optMap(w.unified),
  }) ?? {};
}

export const mountToWire = (m: Mount): WMount => ({
  container_path: m.containerPath, host_path: m.hostPath, readonly: m.readonly ?? false,
  selinux_relabel: m.selinuxRelabel ?? false, propagation: m.propagation ?? 'PROPAGATION_PRIVATE',
});
export function mountFromWire(w: WMount): Mount {
  const p = w.propagation;
  const propagation = p === 'PROPAGATION_HOST_TO_CONTAINER' || p === 'PROPAGATION_BIDIRECTIONAL' ? p : undefined;
  return {
    containerPath: w.container_path ?? '', hostPath: w.host_path ?? '',
    ...compact({ readonly: optTrue(w.readonly), propagation, selinuxRelabel: optTrue(w.selinux_relabel) }),
  };
}
export const mountsFromWire = (ws: Maybe<WMount[]>): Mount[] | undefined => optList(ws)?.map(mountFromWire);

export const deviceToWire = (d: Device): WDevice => ({ container_path: d.containerPath, host_path: d.hostPath, permissions: d.permissions });
export const deviceFromWire = (w: WDevice): Device => ({ containerPath: w.container_path ?? '', hostPath: w.host_path ?? '', permissions: w.permissions ?? '' });
export const devicesFromWire = (ws: Maybe<WDevice[]>): Device[] | undefined => optList(ws)?.map(deviceFromWire);
