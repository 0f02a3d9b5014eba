/**
 * The Docker Engine API shapes tinykube sends and reads (API 1.41, Docker 20.10). Hand-written
 * and narrow: only the fields we use; Docker sends many more, and they are ignored.
 */

/** GET /version */
export interface EngineVersion { Version: string; ApiVersion: string }

/** Filters as Docker takes them in `filters=` (JSON): name → accepted values. */
export type EngineFilters = Record<string, string[]>;

export interface LogConfig { Type: string; Config?: Record<string, string> }

/** The HostConfig fields we set on create. */
export interface HostConfig {
  NetworkMode?: string;
  IpcMode?: string;
  CgroupParent?: string;
  Binds?: string[];
  LogConfig?: LogConfig;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  Memory?: number;
  MemorySwap?: number;
  OomScoreAdj?: number;
  PidMode?: string;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  GroupAdd?: string[];
  SecurityOpt?: string[];
}

/** POST /containers/create body, plus `name` (sent as the query parameter). */
export interface ContainerCreateOptions {
  name?: string;
  Image: string;
  Hostname?: string;
  /** "uid", "name", "uid:gid" or "name:gid"; absent keeps the image's USER. */
  User?: string;
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  Env?: string[];
  Labels?: Record<string, string>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  HostConfig?: HostConfig;
}

/** One row of GET /containers/json (`docker ps`). */
export interface ContainerSummary {
  Id: string;
  Image: string;
  ImageID: string;
  /** "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead" */
  State: string;
  /** Unix seconds. */
  Created: number;
  Labels: Record<string, string>;
}

export interface ContainerState {
  Status: string;
  Running: boolean;
  Pid: number;
  ExitCode: number;
  OOMKilled: boolean;
  /** RFC3339Nano; "0001-01-01T00:00:00Z" when never. */
  StartedAt: string;
  FinishedAt: string;
  Error?: string;
}

/** GET /containers/{id}/json (`docker inspect`). */
export interface ContainerInspect {
  Id: string;
  /** RFC3339Nano. */
  Created: string;
  /** The image ID (sha256:…). */
  Image: string;
  LogPath: string;
  ResolvConfPath: string;
  State: ContainerState;
  Config: { Image: string; Labels: Record<string, string>; Tty: boolean };
}

/** GET /containers/{id}/stats?stream=false (the fields tinykube reads). */
export interface EngineContainerStats {
  /** RFC3339Nano of this sample and of the previous one (precpu_stats). */
  read: string;
  preread: string;
  cpu_stats: { cpu_usage: { total_usage: number } };
  precpu_stats: { cpu_usage: { total_usage: number } };
  memory_stats: { usage?: number; stats?: Record<string, number> };
}

/** POST /containers/{id}/wait */
export interface ContainerWaitResult { StatusCode: number }

/** POST /containers/{id}/exec body. */
export interface ExecCreateOptions {
  Cmd: string[];
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
}

/** GET /exec/{id}/json */
export interface ExecInspect { Running: boolean; Pid: number; ExitCode: number | null }

export interface TerminalSize { h: number; w: number }

export interface AttachOptions { stdin: boolean; stdout: boolean; stderr: boolean }

/** GET /containers/{id}/logs query. */
export interface LogsOptions {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  timestamps?: boolean;
  /** Lines from the end; absent = all. */
  tail?: number;
  /** Unix seconds with fraction, as `docker logs --since` sends it. */
  since?: string;
}

/** One record of GET /events. */
export interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
}

/** One row of GET /images/json. */
export interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Size: number;
}

/** The fields we read of GET /images/{name}/json. */
export interface ImageInspect extends ImageSummary {
  /** The image config; `User` is its USER ("" when unset). */
  Config?: { User?: string } | null;
}

/** Registry credentials, sent base64url(JSON) in X-Registry-Auth. Docker's own field names. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** One record of the pull progress stream. */
export interface ProgressRecord { status?: string; error?: string; errorDetail?: { message?: string } }
