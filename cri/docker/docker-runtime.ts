/**
 * The CRI contract on Docker, dockershim style: sandbox = pause container wired by CNI, app
 * containers join `container:<sandbox>`, everything labelled so lists are rebuilt from Docker,
 * the CNI result kept per sandbox under stateDir. One method per CRI verb, each delegating to
 * the file that owns the concept.
 */
import { hostsDirMirrors } from './registry-mirrors.js';
import type { MirrorLookup } from './registry-mirrors.js';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { CniNetwork, type CniNetworkOptions } from '../cni/cni-network.js';
import { renderConflist, type ConflistTemplate } from '../cni/conflist.js';
import { CriError } from '../errors.js';
import type {
  AttachOptions, AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStats, ContainerStatsService, ContainerStatus, ExecOptions, ExecSyncResponse,
  Image, ImageFilter, ImageSpec, LogLine, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, Runtime,
  RuntimeConfig, RuntimeEvent, StreamSession,
} from '../types.js';
import * as containers from './container.js';
import type { DockerContext } from './context.js';
import { DEFAULT_DOCKER_SOCKET, DockerEngine } from './engine/client.js';
import { docker as call } from './errors.js';
import { runtimeEvents } from './events.js';
import * as execs from './exec.js';
import * as images from './image.js';
import { CriLogCopies } from './cri-log-copies.js';
import { exists } from './cri-log-file.js';
import { readContainerLog } from '../remote/follow-until-exit.js';
import { containerLogs } from './logs.js';
import * as sandboxes from './sandbox.js';
import { ALL_SCOPES } from './labels.js';
import { SandboxStore } from './sandbox-store.js';
import { containerStats } from './stats.js';

export const DEFAULT_PAUSE_IMAGE = 'tinykube/pause:1';

export interface DockerRuntimeOptions {
  /** dockerd's socket. Default /var/run/docker.sock. */
  socketPath?: string;
  /** The pod network (conflist, plugin dir), in use until updateRuntimeConfig brings a podCIDR. */
  cni: CniNetworkOptions;
  /**
   * Rendered with the podCIDR by updateRuntimeConfig, replacing `cni.conflist` (containerd's CNI
   * conf_template). Without it a podCIDR is accepted and the conflist stays as it is.
   */
  cniTemplate?: ConflistTemplate;
  /** Holds sandboxes/<id>.json (CNI results) and netns/<id> (pinned namespaces). */
  stateDir: string;
  pauseImage?: string;
  /**
   * Scope label value: this runtime lists, stops and watches only objects of its scope, so
   * several agents (or tests) can share one dockerd. Default "default". ALL_SCOPES ("*") sees
   * every scope: a machine-wide debugging view (tinykube crictl), never an agent's.
   */
  scope?: string;
  log?: Logger;
  /**
   * containerd's registry config_path layout (<dir>/<registry host>/hosts.toml): pulls go through
   * the mirrors it lists first (registry-mirrors.ts). Default: none, dockerd pulls as configured.
   */
  registryConfigPath?: string;
  /** Injected Engine API client (tests: one on a fake server's socket); default a client on socketPath. */
  docker?: DockerEngine;
  /**
   * A pull attempt that sends no progress for this long is cancelled (DeadlineExceeded):
   * dockershim's --image-pull-progress-deadline, default 1 min.
   */
  imagePullProgressDeadlineMs?: number;
}

/** dockershim's default --image-pull-progress-deadline. */
export const DEFAULT_PULL_PROGRESS_DEADLINE_MS = 60_000;

export class DockerRuntime implements Runtime, ContainerStatsService {
  readonly #ctx: DockerContext;
  readonly #cni: CniNetworkOptions;
  readonly #cniTemplate: ConflistTemplate | undefined;
  readonly #mirrors: MirrorLookup | undefined;
  readonly #pullProgressDeadlineMs: number;
  #logsResumed = false;

  constructor(opts: DockerRuntimeOptions) {
    this.#cni = opts.cni;
    this.#mirrors = opts.registryConfigPath === undefined ? undefined : hostsDirMirrors(opts.registryConfigPath);
    this.#cniTemplate = opts.cniTemplate;
    this.#pullProgressDeadlineMs = opts.imagePullProgressDeadlineMs ?? DEFAULT_PULL_PROGRESS_DEADLINE_MS;
    const docker = opts.docker ?? new DockerEngine({ socketPath: opts.socketPath ?? DEFAULT_DOCKER_SOCKET });
    this.#ctx = {
      docker,
      cni: new CniNetwork(opts.cni),
      store: new SandboxStore(opts.stateDir),
      netnsDir: join(opts.stateDir, 'netns'),
      pauseImage: opts.pauseImage ?? DEFAULT_PAUSE_IMAGE,
      scope: opts.scope ?? 'default',
      logs: new CriLogCopies((id) => (since, signal, follow = true) => containerLogs(docker, id, { follow, ...(since === undefined ? {} : { sinceTime: since }) }, signal), opts.log),
      ...(opts.log === undefined ? {} : { log: opts.log }),
    };
  }

  async version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }> {
    const v = await call('docker version', () => this.#ctx.docker.version());
    return { runtimeName: 'docker', runtimeVersion: v.Version, runtimeApiVersion: 'v1' };
  }

  /** A podCIDR renders the conflist template (when there is one); later sandboxes use that network. */
  async updateRuntimeConfig(runtimeConfig: RuntimeConfig): Promise<void> {
    const podCidr = runtimeConfig.networkConfig?.podCidr ?? '';
    if (podCidr === '' || this.#cniTemplate === undefined) return;
    const conflist = renderConflist({ ...this.#cniTemplate, subnet: podCidr });
    this.#ctx.cni = new CniNetwork({ ...this.#cni, conflist });
    this.#ctx.log?.info({ podCidr }, 'Configured the pod network');
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> { return sandboxes.runPodSandbox(this.#ctx, config); }
  stopPodSandbox(id: string): Promise<void> { return sandboxes.stopPodSandbox(this.#ctx, id); }
  removePodSandbox(id: string): Promise<void> { return sandboxes.removePodSandbox(this.#ctx, id); }
  podSandboxStatus(id: string): Promise<PodSandboxStatus> { return sandboxes.podSandboxStatus(this.#ctx, id); }
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> { return sandboxes.listPodSandbox(this.#ctx, filter); }

  createContainer(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    return containers.createContainer(this.#ctx, sandboxId, config, sandboxConfig);
  }
  startContainer(id: string): Promise<void> { return containers.startContainer(this.#ctx, id); }
  stopContainer(id: string, timeoutSeconds: number): Promise<void> { return containers.stopContainer(this.#ctx, id, timeoutSeconds); }
  removeContainer(id: string): Promise<void> { return containers.removeContainer(this.#ctx, id); }
  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const list = await containers.listContainers(this.#ctx, filter);
    this.#resumeLogCopies();
    return list;
  }
  containerStatus(id: string): Promise<ContainerStatus> { return containers.containerStatus(this.#ctx, id); }

  reopenContainerLog(id: string): Promise<void> { return containers.reopenContainerLog(this.#ctx, id); }

  /**
   * Once, at the first list (the agent's PLEG lists at once after a restart): the CRI log copies
   * of the containers this scope already has go on. A machine-wide view (ALL_SCOPES) writes none.
   */
  #resumeLogCopies(): void {
    if (this.#logsResumed || this.#ctx.scope === ALL_SCOPES) return;
    this.#logsResumed = true;
    containers.resumeLogCopies(this.#ctx).catch((err: unknown) => {
      this.#logsResumed = false;
      this.#ctx.log?.warn({ err }, 'Failed to resume container log copies');
    });
  }

  containerStats(id: string): Promise<ContainerStats> { return containerStats(this.#ctx, id); }

  execSync(id: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    return execs.execSync(this.#ctx.docker, id, cmd, timeoutSeconds);
  }
  exec(id: string, opts: ExecOptions): Promise<StreamSession> { return execs.exec(this.#ctx.docker, id, opts); }
  attach(id: string, opts: AttachOptions): Promise<StreamSession> { return execs.attach(this.#ctx.docker, id, opts); }

  /** A TCP connection from the host to <pod IP>:port (the host reaches the pod bridge). */
  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const rec = await this.#ctx.store.get(sandboxId);
    const host = rec?.hostNetwork === true ? '127.0.0.1' : rec?.networkReady === true ? rec.ip : undefined;
    if (host === undefined) throw new CriError('NotFound', `pod sandbox ${sandboxId} has no network`);
    return new Promise<Socket>((resolve, reject) => {
      const sock = connect({ host, port });
      sock.once('connect', () => { sock.removeAllListeners('error'); resolve(sock); });
      sock.once('error', (e) => reject(new CriError('Unavailable', `port-forward to ${host}:${port}: ${e.message}`, { cause: e })));
    });
  }

  /**
   * As the kubelet reads them: the CRI log file this runtime writes (only the live file: rotated
   * ones are not read; following goes on across a rotation and ends when the container does).
   * A container without a log path (or whose file is gone) is read from Docker's own log.
   */
  async *containerLogs(id: string, opts: { follow: boolean; tailLines?: number; sinceTime?: Date }, signal: AbortSignal): AsyncIterable<LogLine> {
    const st = await containers.containerStatus(this.#ctx, id);
    if (st.logPath !== '' && await exists(st.logPath)) {
      yield* readContainerLog(st, opts, { status: () => containers.containerStatus(this.#ctx, id) }, signal);
      return;
    }
    yield* containerLogs(this.#ctx.docker, id, opts, signal);
  }

  /** Container created/started/stopped/deleted events of this scope, until `signal` aborts. */
  events(signal: AbortSignal): AsyncIterable<RuntimeEvent> { return runtimeEvents(this.#ctx.docker, this.#ctx.scope, signal); }

  listImages(filter?: ImageFilter): Promise<Image[]> { return images.listImages(this.#ctx.docker, filter); }
  imageStatus(image: ImageSpec): Promise<Image | undefined> { return images.imageStatus(this.#ctx.docker, image); }
  pullImage(image: ImageSpec, auth?: AuthConfig, signal?: AbortSignal): Promise<string> {
    return images.pullImage(this.#ctx.docker, image, auth, signal, {
      progressDeadlineMs: this.#pullProgressDeadlineMs, ...(this.#mirrors === undefined ? {} : { mirrors: this.#mirrors }),
    });
  }
  removeImage(image: ImageSpec): Promise<void> { return images.removeImage(this.#ctx.docker, image); }
}
