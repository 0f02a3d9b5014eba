/**
 * PURE: Pod → PodSandboxConfig and Container → ContainerConfig (kubelet's kuberuntime
 * generatePodSandboxConfig / generateContainerConfig). Everything with I/O (env refs, volume
 * files, the pod IP) is resolved beforehand and handed in.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { quantityOf } from '../control/api/quantity.js';
import type { ContainerConfig, KeyValue, LinuxContainerResources, Mount, PodSandboxConfig, PortMapping } from '../cri/types.js';
import { podDnsConfig } from './dns/pod-dns.js';
import type { DnsConfig } from './dns/pod-dns.js';
import { expand } from './env.js';
import { containerSecurityContext, sandboxSecurityContext, type ImageUser } from './security-context.js';
import {
  CONTAINER_HASH_ANNOTATION, CONTAINER_NAME_LABEL, GRACE_PERIOD_ANNOTATION, RESTART_COUNT_ANNOTATION, podLabels,
} from './labels.js';
import { isAgentWritten } from './volume-paths.js';

export const CPU_PERIOD = 100_000;
const MIN_SHARES = 2;
const MIN_QUOTA = 1000;

export interface SandboxOptions {
  attempt: number;
  /** Pod log directory (e.g. <dataDir>/logs/<ns>_<name>_<uid>). */
  logDirectory: string;
  /** Cluster DNS server; when unset the runtime's default resolv.conf is kept. */
  clusterDNS?: string;
  clusterDomain?: string;
  /** The host's resolv.conf: the base for dnsPolicy Default with a dnsConfig (see podDnsConfig). */
  hostDNS?: DnsConfig;
}

export interface ContainerOptions {
  attempt: number;
  envs: KeyValue[];
  /** Volume name → host path (volume-paths.ts). */
  volumePaths: Record<string, string>;
  /** volumeMounts index → the host path of its subPath, resolved inside the volume (volume-subpath.ts). */
  subPaths?: Record<number, string>;
  /** The managed /etc/hosts file, mounted unless hostNetwork. */
  etcHostsPath?: string;
  /** Node memory in bytes, for the Burstable oom_score_adj. */
  nodeMemoryBytes: number;
  /** The image's USER (imageStatus), for a runAsGroup without runAsUser. */
  imageUser?: ImageUser;
  /** This instance's termination message file (termination-message.ts), mounted at terminationMessagePath. */
  terminationMessageFile?: string;
}

export function podLogDirectory(logRoot: string, pod: Pod): string {
  const md = pod.metadata ?? {};
  return join(logRoot, `${md.namespace ?? 'default'}_${md.name ?? ''}_${md.uid ?? ''}`);
}

/** The pod's hostname (kubelet's truncatePodHostnameIfNeeded): at most 63 characters, never ending in '-' or '.'. */
export function podHostname(pod: Pod): string {
  const name = pod.spec?.hostname ?? pod.metadata?.name ?? '';
  return name.length <= 63 ? name : name.slice(0, 63).replace(/[-.]+$/, '');
}

export function makeSandboxConfig(pod: Pod, o: SandboxOptions): PodSandboxConfig {
  const md = pod.metadata ?? {};
  const spec = pod.spec ?? { containers: [] };
  const id = { name: md.name ?? '', namespace: md.namespace ?? 'default', uid: md.uid ?? '' };
  const portMappings: PortMapping[] = [];
  for (const c of spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      portMappings.push({ protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'], containerPort: p.containerPort, hostPort: p.hostPort, ...(p.hostIP ? { hostIp: p.hostIP } : {}) });
    }
  }
  const cfg: PodSandboxConfig = {
    metadata: { ...id, attempt: o.attempt },
    hostname: podHostname(pod),
    logDirectory: o.logDirectory,
    labels: { ...(md.labels ?? {}), ...podLabels(id) },
    annotations: { ...(md.annotations ?? {}) },
    linux: { hostNetwork: spec.hostNetwork ?? false, ...securityContextField(sandboxSecurityContext(pod)) },
  };
  if (portMappings.length) cfg.portMappings = portMappings;
  const dns = podDnsConfig(pod, o);
  if (dns) cfg.dnsConfig = dns;
  return cfg;
}

/** A short stable hash of a container spec; a running container with another hash is replaced. */
export function containerHash(c: Container): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 8);
}

function quantity(v: string | number | undefined): number | undefined {
  return v === undefined ? undefined : quantityOf(v);
}

/** Burstable: 1000 − 1000·request/capacity clamped to [2, 999]; clamped ≥ 0 for the host (no CAP_SYS_RESOURCE). */
export function oomScoreAdj(pod: Pod, c: Container, nodeMemoryBytes: number): number {
  const qos = pod.status?.qosClass;
  if (qos === 'Guaranteed') return 0;
  if (qos === 'BestEffort') return 1000;
  const req = quantity(c.resources?.requests?.['memory']) ?? 0;
  const adj = 1000 - Math.floor((1000 * req) / Math.max(1, nodeMemoryBytes));
  return Math.max(2, Math.min(999, adj));
}

export function linuxResources(pod: Pod, c: Container, nodeMemoryBytes: number): LinuxContainerResources {
  const reqCpu = quantity(c.resources?.requests?.['cpu']) ?? quantity(c.resources?.limits?.['cpu']);
  const limCpu = quantity(c.resources?.limits?.['cpu']);
  const limMem = quantity(c.resources?.limits?.['memory']);
  const r: LinuxContainerResources = {
    cpuPeriod: CPU_PERIOD,
    cpuShares: Math.max(MIN_SHARES, Math.floor(((reqCpu ?? 0) * 1000 * 1024) / 1000)),
    oomScoreAdj: oomScoreAdj(pod, c, nodeMemoryBytes),
  };
  if (limCpu !== undefined) r.cpuQuota = Math.max(MIN_QUOTA, Math.floor(limCpu * CPU_PERIOD));
  if (limMem !== undefined) r.memoryLimitInBytes = Math.floor(limMem);
  return r;
}

/**
 * The container's mounts. Volumes the agent writes are read-only whatever the mount says (upstream
 * mustMountRO); a subPath mounts only the path resolved beforehand, never one joined here.
 */
function mounts(pod: Pod, c: Container, o: ContainerOptions): Mount[] {
  const out: Mount[] = [];
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const [i, vm] of (c.volumeMounts ?? []).entries()) {
    const host = vm.subPath || vm.subPathExpr ? o.subPaths?.[i] : o.volumePaths[vm.name];
    if (o.volumePaths[vm.name] === undefined) continue;
    if (host === undefined) throw new Error(`subPath of volumeMount ${JSON.stringify(vm.name)} of container ${JSON.stringify(c.name)} was not resolved`);
    const vol = volumes.get(vm.name);
    out.push({ containerPath: vm.mountPath, hostPath: host, readonly: (vm.readOnly ?? false) || (vol !== undefined && isAgentWritten(vol)) || vol?.persistentVolumeClaim?.readOnly === true });
  }
  const ownHosts = out.some((m) => m.containerPath === '/etc/hosts');
  if (o.etcHostsPath && !pod.spec?.hostNetwork && !ownHosts) out.push({ containerPath: '/etc/hosts', hostPath: o.etcHostsPath, readonly: false });
  if (c.terminationMessagePath && o.terminationMessageFile) out.push({ containerPath: c.terminationMessagePath, hostPath: o.terminationMessageFile, readonly: false });
  return out;
}

export function makeContainerConfig(pod: Pod, c: Container, o: ContainerOptions): ContainerConfig {
  const md = pod.metadata ?? {};
  const id = { name: md.name ?? '', namespace: md.namespace ?? 'default', uid: md.uid ?? '' };
  const vars = new Map(o.envs.map((e) => [e.key, e.value]));
  const cfg: ContainerConfig = {
    metadata: { name: c.name, attempt: o.attempt },
    image: { image: c.image ?? '' },
    envs: o.envs,
    mounts: mounts(pod, c, o),
    labels: { ...podLabels(id), [CONTAINER_NAME_LABEL]: c.name },
    annotations: {
      [CONTAINER_HASH_ANNOTATION]: containerHash(c),
      [RESTART_COUNT_ANNOTATION]: String(o.attempt),
      [GRACE_PERIOD_ANNOTATION]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
    },
    logPath: `${c.name}/${o.attempt}.log`,
    stdin: c.stdin ?? false,
    stdinOnce: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: { resources: linuxResources(pod, c, o.nodeMemoryBytes), ...securityContextField(containerSecurityContext(pod, c, o.imageUser ?? {})) },
  };
  if (c.command) cfg.command = c.command.map((s) => expand(s, vars));
  if (c.args) cfg.args = c.args.map((s) => expand(s, vars));
  if (c.workingDir) cfg.workingDir = c.workingDir;
  return cfg;
}

/** `{ securityContext }` when there is one (a pod without a securityContext gives configs without it). */
function securityContextField<T>(sc: T | undefined): { securityContext?: T } {
  return sc === undefined ? {} : { securityContext: sc };
}
