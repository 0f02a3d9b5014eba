/**
 * The CRI-shaped runtime contract (runtime/v1 api.proto verbs and names, camelCase), the one
 * interface the agent drives. Backends: Docker (dockershim style) and containerd (CRI over gRPC).
 * This file imports nothing from control/. Idempotency is part of the contract: stopping or
 * removing something already stopped or removed succeeds.
 *
 * Container state machine:
 *   createContainer → CREATED --startContainer--> RUNNING --exit/stopContainer--> EXITED
 *   EXITED --removeContainer--> (gone);  UNKNOWN when the runtime cannot tell.
 */
import type { Duplex, Readable, Writable } from 'node:stream';

export interface KeyValue { key: string; value: string }

export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface ContainerMetadata { name: string; attempt: number }

export interface PortMapping { protocol: 'TCP' | 'UDP' | 'SCTP'; containerPort: number; hostPort?: number; hostIp?: string }
/** runtime/v1 MountPropagation: private (default), rslave, rshared. */
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export interface Mount {
  containerPath: string; hostPath: string; readonly?: boolean;
  /** Absent means PROPAGATION_PRIVATE. */
  propagation?: MountPropagation;
  selinuxRelabel?: boolean;
}
/** runtime/v1 Device: a host device in the container; permissions are cgroup's "rwm" letters. */
export interface Device { containerPath: string; hostPath: string; permissions: string }
/** runtime/v1 SecurityProfile (seccomp, AppArmor); localhostRef only with Localhost. */
export interface SecurityProfile { profileType: 'RuntimeDefault' | 'Unconfined' | 'Localhost'; localhostRef?: string }
/** runtime/v1 SELinuxOption. */
export interface SELinuxOption { user: string; role: string; type: string; level: string }
/** runtime/v1 HugepageLimit: pageSize like "2MB", limit in bytes. */
export interface HugepageLimit { pageSize: string; limit: number }

export interface LinuxContainerResources {
  cpuPeriod?: number; cpuQuota?: number; cpuShares?: number; memoryLimitInBytes?: number; oomScoreAdj?: number;
  cpusetCpus?: string; cpusetMems?: string; memorySwapLimitInBytes?: number;
  hugepageLimits?: HugepageLimit[];
  /** cgroup v2 files, e.g. {"memory.max": "…"}. */
  unified?: Record<string, string>;
}

/** runtime/v1 NamespaceMode: POD (the pod's, shared), CONTAINER (its own), NODE (the host's). */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE';
/**
 * runtime/v1 NamespaceOption without `network`: the host network is the sandbox's
 * `linux.hostNetwork`. Absent means CONTAINER for pid, POD for ipc.
 */
export interface NamespaceOption { pid?: NamespaceMode; ipc?: NamespaceMode }
/** runtime/v1 Capability: names as Kubernetes spells them (NET_ADMIN, ALL); backends map them. */
export interface Capability { addCapabilities?: string[]; dropCapabilities?: string[]; addAmbientCapabilities?: string[] }

/** runtime/v1 LinuxContainerSecurityContext (the Linux subset tinykube enforces; Int64Value as number). */
export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  /** The uid to run as; unset (and no runAsUsername) leaves the image's USER. */
  runAsUser?: number;
  /** The primary gid; with neither user field set, the user is root (uid 0). */
  runAsGroup?: number;
  /** A user name from the image (only when runAsUser is unset). */
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  /** no_new_privs for the container's processes. */
  noNewPrivs?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
  selinuxOptions?: SELinuxOption;
}

/** runtime/v1 LinuxSandboxSecurityContext: what applies to the sandbox (its pause process). */
export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  runAsUser?: number;
  runAsGroup?: number;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  /** Some container of the pod is privileged. */
  privileged?: boolean;
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
  selinuxOptions?: SELinuxOption;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] };
  portMappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: { cgroupParent?: string; hostNetwork?: boolean; securityContext?: LinuxSandboxSecurityContext; sysctls?: Record<string, string> };
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface PodSandbox {
  id: string; metadata: PodSandboxMetadata; state: PodSandboxState; createdAt: number /* ns */;
  labels: Record<string, string>; annotations: Record<string, string>;
  /** The RuntimeClass handler the sandbox runs with ('' or absent: the default). */
  runtimeHandler?: string;
}
export interface PodSandboxStatus extends PodSandbox { network?: { ip: string; additionalIps?: string[] }; }

export interface Container {
  id: string; podSandboxId: string; metadata: ContainerMetadata; image: ImageSpec; imageRef: string;
  state: ContainerState; createdAt: number; labels: Record<string, string>; annotations: Record<string, string>;
}
export interface ContainerStatus extends Container {
  startedAt: number; finishedAt: number; exitCode: number;
  /** e.g. Completed, Error, OOMKilled. */
  reason: string; message: string; logPath: string;
  mounts?: Mount[];
  /** The resources in effect (runtime/v1 ContainerResources.linux), when the runtime reports them. */
  resources?: LinuxContainerResources;
}

export interface ImageSpec { image: string }
export interface Image {
  id: string; repoTags: string[]; repoDigests: string[]; size: number;
  /** The image's USER when it is numeric (the group part dropped); absent when non-numeric or unset. */
  uid?: number;
  /** The image's USER when it is a name (the group part dropped). */
  username?: string;
  /** The runtime recommends keeping it (e.g. the sandbox image). */
  pinned?: boolean;
}
export interface AuthConfig {
  username?: string; password?: string; auth?: string;
  serverAddress?: string; identityToken?: string; registryToken?: string;
}

export interface PodSandboxFilter { id?: string; state?: PodSandboxState; labelSelector?: Record<string, string> }
export interface ContainerFilter { id?: string; podSandboxId?: string; state?: ContainerState; labelSelector?: Record<string, string> }
export interface ImageFilter { image?: ImageSpec }

export interface ExecSyncResponse { stdout: Buffer; stderr: Buffer; exitCode: number }

/** One log record as the CRI log format has it (`<time> <stream> <F|P> <text>`), partial lines joined, `line` without its newline. */
export interface LogLine { time: string /* RFC3339Nano */; stream: 'stdout' | 'stderr'; line: Buffer }

/** A streaming exec/attach session. Ends when the process exits (exitCode resolves). */
export interface StreamSession {
  stdin?: Writable;
  stdout: Readable;
  stderr?: Readable;
  resize?(size: { width: number; height: number }): void;
  exitCode: Promise<number>;
}

/** runtime/v1 RuntimeConfig: what the kubelet tells the runtime once it knows (UpdateRuntimeConfig). */
export interface RuntimeConfig { networkConfig?: NetworkConfig }
/** runtime/v1 NetworkConfig: the node's pod CIDR, for the runtime's pod network. */
export interface NetworkConfig { podCidr: string }

/** Events that wake pod workers (Docker events; containerd's GetContainerEvents). */
export interface RuntimeEvent { containerId: string; podSandboxId?: string; podUid?: string; type: 'created' | 'started' | 'stopped' | 'deleted' }

export interface ExecOptions { cmd: readonly string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }
export interface AttachOptions { tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }

export interface RuntimeService {
  version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }>;
  /**
   * Takes what the kubelet learnt after start, today the node's podCIDR (the pod network's subnet).
   * Sandboxes run after it use the new network config. Repeating a config is harmless.
   */
  updateRuntimeConfig(runtimeConfig: RuntimeConfig): Promise<void>;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(podSandboxId: string): Promise<void>;                       // idempotent
  removePodSandbox(podSandboxId: string): Promise<void>;                     // idempotent
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;         // CriError NotFound
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>; // idempotent
  removeContainer(containerId: string): Promise<void>;                       // idempotent
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;            // CriError NotFound
  execSync(containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecSyncResponse>;
  /** Streaming exec (kubectl exec). */
  exec(containerId: string, opts: ExecOptions): Promise<StreamSession>;
  /** Attach to the container's main process (kubectl attach / run -it). */
  attach(containerId: string, opts: AttachOptions): Promise<StreamSession>;
  /** A TCP connection to `port` inside the sandbox's network namespace (kubectl port-forward). */
  portForward(podSandboxId: string, port: number): Promise<Duplex>;
  containerLogs(containerId: string, opts: { follow: boolean; tailLines?: number; sinceTime?: Date }, signal: AbortSignal): AsyncIterable<LogLine>;
  /**
   * Container and sandbox lifecycle events of this runtime, from the moment of the call until
   * `signal` aborts (then the iteration ends quietly). No replay: callers relist for the past.
   */
  events(signal: AbortSignal): AsyncIterable<RuntimeEvent>;
}

export interface ImageService {
  listImages(filter?: ImageFilter): Promise<Image[]>;
  /** undefined when the image is not present (not an error). */
  imageStatus(image: ImageSpec): Promise<Image | undefined>;
  pullImage(image: ImageSpec, auth?: AuthConfig, signal?: AbortSignal): Promise<string>; // -> imageRef
  removeImage(image: ImageSpec): Promise<void>;                                         // idempotent
}

export type Runtime = RuntimeService & ImageService;

/** runtime/v1 ContainerStats, the parts a Docker backend can fill. */
export interface ContainerStats {
  id: string;
  metadata: ContainerMetadata;
  labels: Record<string, string>;
  /** Sample time (ns) and cumulative CPU; usageNanoCores when the backend measured a rate. */
  cpu?: { timestamp: number; usageCoreNanoSeconds: number; usageNanoCores?: number };
  memory?: {
    timestamp: number; workingSetBytes: number;
    availableBytes?: number; usageBytes?: number; rssBytes?: number; pageFaults?: number; majorPageFaults?: number;
  };
  writableLayer?: { timestamp: number; usedBytes: number; inodesUsed?: number };
}

/** Optional capability (the CRI ContainerStats RPC): backends that can measure containers. */
export interface ContainerStatsService {
  containerStats(containerId: string): Promise<ContainerStats>;
}


/** runtime/v1 RuntimeCondition (RuntimeReady, NetworkReady, …). */
export interface RuntimeCondition { type: string; status: boolean; reason: string; message: string }
/** runtime/v1 StatusResponse: conditions, plus runtime-specific JSON strings in `info` when verbose. */
export interface RuntimeStatus { conditions: RuntimeCondition[]; info: Record<string, string> }
/** runtime/v1 FilesystemUsage (ImageFsInfo, writable layers). */
export interface FilesystemUsage { timestamp: number; mountpoint: string; usedBytes: number; inodesUsed?: number }
export interface ContainerStatsFilter { id?: string; podSandboxId?: string; labelSelector?: Record<string, string> }
export interface PodSandboxStatsFilter { id?: string; labelSelector?: Record<string, string> }
/** runtime/v1 PodSandboxStats (Linux): the pod's cgroup totals and its containers. */
export interface PodSandboxStats {
  id: string; metadata: PodSandboxMetadata; labels: Record<string, string>; annotations: Record<string, string>;
  cpu?: ContainerStats['cpu'];
  memory?: ContainerStats['memory'];
  network?: { timestamp: number; interfaces: { name: string; rxBytes: number; rxErrors: number; txBytes: number; txErrors: number }[] };
  process?: { timestamp: number; processCount: number };
  containers: ContainerStats[];
}

/**
 * Optional capability: the CRI calls crictl uses beyond the agent's contract (status, verbose
 * inspection, image filesystem, stats lists, resource updates, log reopening). RemoteRuntime has
 * them all; a CRI server answers UNIMPLEMENTED for what its backend lacks.
 */
export interface RuntimeExtrasService {
  status(opts?: { verbose?: boolean }): Promise<RuntimeStatus>;
  podSandboxStatusVerbose(podSandboxId: string): Promise<{ status: PodSandboxStatus; info: Record<string, string> }>;
  containerStatusVerbose(containerId: string): Promise<{ status: ContainerStatus; info: Record<string, string> }>;
  imageStatusVerbose(image: ImageSpec): Promise<{ image: Image | undefined; info: Record<string, string> }>;
  imageFsInfo(): Promise<FilesystemUsage[]>;
  listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]>;
  podSandboxStats(podSandboxId: string): Promise<PodSandboxStats>;
  listPodSandboxStats(filter?: PodSandboxStatsFilter): Promise<PodSandboxStats[]>;
  updateContainerResources(containerId: string, resources: LinuxContainerResources): Promise<void>;
  reopenContainerLog(containerId: string): Promise<void>;
}
