/**
 * PURE. CRI configs → Docker create options, dockershim style: the pause container owns the
 * network and IPC namespaces; app containers join them with `container:<sandbox>`. Security
 * contexts map through security-context.ts (throws CriError InvalidArgument on a bad value).
 */
import { join } from 'node:path';
import type { ContainerConfig, PodSandboxConfig } from '../types.js';
import type { ContainerCreateOptions } from './engine/types.js';
import { containerOwnLabels, dockerName, SANDBOX_CONTAINER_NAME, sandboxOwnLabels, toDockerLabels } from './labels.js';
import { containerSecurityHostConfig, dockerUser, sandboxSecurityHostConfig } from './security-context.js';

/**
 * Docker's own copy of a container's log: only the stream our CRI log file is copied from
 * (cri-log-file.ts; the kubelet's rotation applies to that file), so it stays small: at most 2 MiB
 * per container instead of a second full copy of the log.
 */
export const DOCKER_LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } };

/** The pause container of a sandbox. */
export function sandboxCreateOptions(config: PodSandboxConfig, pauseImage: string, scope: string): ContainerCreateOptions {
  const hostNetwork = config.linux?.hostNetwork === true;
  const sc = config.linux?.securityContext;
  const user = dockerUser(sc);
  return {
    name: dockerName(SANDBOX_CONTAINER_NAME, config.metadata, config.metadata.attempt),
    Image: pauseImage,
    ...(hostNetwork || config.hostname === undefined ? {} : { Hostname: config.hostname }),
    ...(user === undefined ? {} : { User: user }),
    Labels: toDockerLabels(config.labels, config.annotations, sandboxOwnLabels(config.metadata, scope, hostNetwork)),
    HostConfig: {
      NetworkMode: hostNetwork ? 'host' : 'none',
      ...sandboxSecurityHostConfig(sc),
      CpuShares: 2,
      LogConfig: DOCKER_LOG_CONFIG,
      ...(config.linux?.cgroupParent === undefined ? {} : { CgroupParent: config.linux.cgroupParent }),
    },
  };
}

/** An app container joined to sandbox `sandboxId`. */
export function containerCreateOptions(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig,
  scope: string): ContainerCreateOptions {
  const pod = sandboxConfig.metadata;
  const logPath = sandboxConfig.logDirectory !== undefined && config.logPath !== undefined
    ? join(sandboxConfig.logDirectory, config.logPath) : undefined;
  const r = config.linux?.resources ?? {};
  const joined = `container:${sandboxId}`;
  const sc = config.linux?.securityContext;
  const user = dockerUser(sc);
  // Kubernetes `command` replaces the image ENTRYPOINT (and then the image CMD is dropped, as
  // Docker does when Entrypoint is given); `args` replaces CMD. Absent fields keep image defaults.
  const entry = config.command !== undefined && config.command.length > 0 ? { Entrypoint: config.command } : {};
  const cmd = config.args !== undefined && config.args.length > 0 ? { Cmd: config.args }
    : config.command !== undefined && config.command.length > 0 ? { Cmd: [] } : {};
  return {
    name: dockerName(config.metadata.name, pod, config.metadata.attempt),
    Image: config.image.image,
    ...entry,
    ...cmd,
    ...(config.workingDir === undefined || config.workingDir === '' ? {} : { WorkingDir: config.workingDir }),
    ...(user === undefined ? {} : { User: user }),
    Env: (config.envs ?? []).map((e) => `${e.key}=${e.value}`),
    Labels: toDockerLabels(config.labels, config.annotations, containerOwnLabels(config.metadata, pod, sandboxId, scope, logPath)),
    Tty: config.tty === true,
    OpenStdin: config.stdin === true,
    StdinOnce: config.stdinOnce === true,
    AttachStdin: config.stdin === true,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      NetworkMode: joined,
      IpcMode: joined,
      ...containerSecurityHostConfig(sc, sandboxId),
      Binds: (config.mounts ?? []).map((m) => `${m.hostPath}:${m.containerPath}${m.readonly === true ? ':ro' : ''}`),
      LogConfig: DOCKER_LOG_CONFIG,
      ...(sandboxConfig.linux?.cgroupParent === undefined ? {} : { CgroupParent: sandboxConfig.linux.cgroupParent }),
      ...(r.memoryLimitInBytes !== undefined && r.memoryLimitInBytes > 0
        ? { Memory: r.memoryLimitInBytes, MemorySwap: r.memoryLimitInBytes } : {}),
      ...(r.cpuShares !== undefined && r.cpuShares > 0 ? { CpuShares: r.cpuShares } : {}),
      ...(r.cpuQuota !== undefined && r.cpuQuota > 0 ? { CpuQuota: r.cpuQuota } : {}),
      ...(r.cpuPeriod !== undefined && r.cpuPeriod > 0 ? { CpuPeriod: r.cpuPeriod } : {}),
      // Gotcha G1: without CAP_SYS_RESOURCE a negative oom_score_adj makes runc fail.
      ...(r.oomScoreAdj === undefined ? {} : { OomScoreAdj: Math.min(1000, Math.max(0, r.oomScoreAdj)) }),
    },
  };
}
