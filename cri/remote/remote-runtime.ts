/**
 * RemoteRuntime: the runtime contract over CRI v1 gRPC to any CRI endpoint (containerd's socket,
 * or a Docker node's <data-dir>/cri.sock). A thin client: contract ↔ wire through cri/grpc/convert,
 * a deadline on every call (deadlines.ts), gRPC status → CriError at the edge (cri-client.ts).
 * Policy stays with the caller: imageStatus never pulls. Idempotency as the contract states it:
 * stop and remove of something already gone succeed (NotFound is swallowed there only).
 * Streaming exec/attach/port-forward dial the URL the runtime returns (cri/streaming); logs read the
 * CRI log file the runtime writes at the container's logPath (cri/logs).
 */
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { CriError, isNotFound } from '../errors.js';
import * as w from '../grpc/convert.js';
import type { WContainer, WContainerStatus, WImage, WPodSandbox, WPodSandboxStatus } from '../grpc/wire.js';
import type { StreamDialOptions } from '../streaming/client.js';
import type {
  AttachOptions, AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStats, ContainerStatsService,
  ContainerStatus, ExecOptions, ExecSyncResponse, Image, ImageFilter, ImageSpec, LogLine, PodSandbox, PodSandboxConfig,
  PodSandboxFilter, PodSandboxStatus, Runtime, RuntimeConfig, RuntimeEvent, StreamSession,
} from '../types.js';
import { remoteEvents } from './container-events.js';
import { CriClient, type CallOptions, type CriServiceName } from './cri-client.js';
import { DEADLINES, withMargin } from './deadlines.js';
import { readContainerLog } from './follow-until-exit.js';
import { imageMatches } from './image-ref.js';
import { RemoteExtras } from './remote-extras.js';


/** The SPDY/WebSocket streaming client, imported at the first exec, attach or port-forward. */
const streamingClient = (): Promise<typeof import('../streaming/client.js')> => import('../streaming/client.js');

export interface RemoteRuntimeOptions {
  /** Absolute path of the runtime's unix socket. */
  socketPath: string;
  log?: Logger;
  /**
   * The deadline of a PullImage call (default DEADLINES.pullMs): CRI reports no pull progress, so a
   * pull from a registry that never answers ends only by it (containerd 1.7+ also has its own
   * image_pull_progress_timeout, 5 min; 1.6 has none).
   */
  pullTimeoutMs?: number;
  /** How streaming URLs are dialled (transport, CA). */
  streaming?: StreamDialOptions;
  /** Relist period of events() when the runtime has no GetContainerEvents (default 1000 ms; 0: none, events() fails Unimplemented). */
  relistIntervalMs?: number;
}

const short = (id: string): string => id.slice(0, 12);

export class RemoteRuntime extends RemoteExtras implements Runtime, ContainerStatsService {
  private readonly log: Logger | undefined;

  constructor(private readonly opts: RemoteRuntimeOptions) {
    const client = new CriClient(opts.socketPath);
    super(client);
    this.log = opts.log?.child({ component: 'cri', runtime: 'remote', socket: opts.socketPath });
  }

  private rpc<Res extends object>(service: CriServiceName, name: string, req: object, o: CallOptions): Promise<Res> {
    return this.client.unary<Res>(service, name, req, o);
  }
  private lookup<Res extends object>(name: string, req: object, what: string, service: CriServiceName = 'runtime'): Promise<Res> {
    return this.rpc<Res>(service, name, req, { timeoutMs: DEADLINES.lookupMs, what });
  }
  private lifecycle<Res extends object>(name: string, req: object, what: string): Promise<Res> {
    return this.rpc<Res>('runtime', name, req, { timeoutMs: DEADLINES.lifecycleMs, what });
  }
  /** Stop/remove: already gone is done. */
  private async idempotent(p: Promise<unknown>): Promise<void> {
    try { await p; } catch (err) { if (!isNotFound(err)) throw err; }
  }

  async version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }> {
    const r = await this.lookup<{ runtime_name?: string; runtime_version?: string; runtime_api_version?: string }>('Version', { version: 'v1' }, 'version');
    return { runtimeName: r.runtime_name ?? '', runtimeVersion: r.runtime_version ?? '', runtimeApiVersion: r.runtime_api_version ?? '' };
  }

  async updateRuntimeConfig(cfg: RuntimeConfig): Promise<void> {
    await this.lookup('UpdateRuntimeConfig', { runtime_config: { network_config: { pod_cidr: cfg.networkConfig?.podCidr ?? '' } } }, 'update runtime config');
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const r = await this.lifecycle<{ pod_sandbox_id?: string }>('RunPodSandbox', { config: w.podSandboxConfigToWire(config), runtime_handler: '' },
      `run pod sandbox ${config.metadata.namespace}/${config.metadata.name}`);
    return r.pod_sandbox_id ?? '';
  }
  stopPodSandbox(id: string): Promise<void> {
    return this.idempotent(this.lifecycle('StopPodSandbox', { pod_sandbox_id: id }, `stop pod sandbox ${short(id)}`));
  }
  removePodSandbox(id: string): Promise<void> {
    return this.idempotent(this.lifecycle('RemovePodSandbox', { pod_sandbox_id: id }, `remove pod sandbox ${short(id)}`));
  }
  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const r = await this.lookup<{ status?: WPodSandboxStatus | null }>('PodSandboxStatus', { pod_sandbox_id: id, verbose: false }, `pod sandbox status ${short(id)}`);
    if (!r.status) throw new CriError('NotFound', `pod sandbox status ${short(id)}: no status`);
    return w.podSandboxStatusFromWire(r.status);
  }
  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const r = await this.lookup<{ items?: WPodSandbox[] }>('ListPodSandbox', { filter: w.podSandboxFilterToWire(filter) }, 'list pod sandboxes');
    return (r.items ?? []).map(w.podSandboxFromWire);
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const r = await this.lifecycle<{ container_id?: string }>('CreateContainer', {
      pod_sandbox_id: podSandboxId,
      config: w.containerConfigToWire(config, { hostNetwork: sandboxConfig.linux?.hostNetwork === true }),
      sandbox_config: w.podSandboxConfigToWire(sandboxConfig),
    }, `create container ${config.metadata.name} in pod sandbox ${short(podSandboxId)}`);
    return r.container_id ?? '';
  }
  async startContainer(id: string): Promise<void> {
    await this.lifecycle('StartContainer', { container_id: id }, `start container ${short(id)}`);
  }
  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    return this.idempotent(this.rpc('runtime', 'StopContainer', { container_id: id, timeout: Math.max(0, Math.trunc(timeoutSeconds)) },
      { timeoutMs: Math.max(0, timeoutSeconds) * 1000 + DEADLINES.lifecycleMs, what: `stop container ${short(id)}` }));
  }
  removeContainer(id: string): Promise<void> {
    return this.idempotent(this.lifecycle('RemoveContainer', { container_id: id }, `remove container ${short(id)}`));
  }
  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const r = await this.lookup<{ containers?: WContainer[] }>('ListContainers', { filter: w.containerFilterToWire(filter) }, 'list containers');
    return (r.containers ?? []).map(w.containerFromWire);
  }
  /** ContainerStatus has no sandbox id on the wire: a ListContainers by id beside it brings it. */
  async containerStatus(id: string): Promise<ContainerStatus> {
    const [r, listed] = await Promise.all([
      this.lookup<{ status?: WContainerStatus | null }>('ContainerStatus', { container_id: id, verbose: false }, `container status ${short(id)}`),
      this.listContainers({ id }).catch(() => []),
    ]);
    if (!r.status) throw new CriError('NotFound', `container status ${short(id)}: no status`);
    return w.containerStatusFromWire(r.status, listed.find((c) => c.id === r.status?.id)?.podSandboxId ?? '');
  }

  /** A timeout comes back as DEADLINE_EXCEEDED from the runtime (or from our own deadline just after it). */
  async execSync(id: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    const r = await this.rpc<{ stdout?: Buffer; stderr?: Buffer; exit_code?: number }>('runtime', 'ExecSync',
      { container_id: id, cmd: [...cmd], timeout: Math.max(0, Math.trunc(timeoutSeconds)) },
      { timeoutMs: withMargin(timeoutSeconds, DEADLINES.execNoTimeoutMs), what: `exec in container ${short(id)}` });
    return { stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr ?? Buffer.alloc(0), exitCode: r.exit_code ?? 0 };
  }

  async exec(id: string, opts: ExecOptions): Promise<StreamSession> {
    const r = await this.lookup<{ url?: string }>('Exec',
      { container_id: id, cmd: [...opts.cmd], tty: opts.tty, stdin: opts.stdin, stdout: opts.stdout, stderr: opts.stderr }, `exec in container ${short(id)}`);
    return (await streamingClient()).dialExec(r.url ?? '', opts, this.opts.streaming);
  }
  async attach(id: string, opts: AttachOptions): Promise<StreamSession> {
    const r = await this.lookup<{ url?: string }>('Attach',
      { container_id: id, tty: opts.tty, stdin: opts.stdin, stdout: opts.stdout, stderr: opts.stderr }, `attach to container ${short(id)}`);
    return (await streamingClient()).dialAttach(r.url ?? '', opts, this.opts.streaming);
  }
  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    const r = await this.lookup<{ url?: string }>('PortForward', { pod_sandbox_id: podSandboxId, port: [port] }, `port-forward to pod sandbox ${short(podSandboxId)}`);
    return (await streamingClient()).dialPortForward(r.url ?? '', port, this.opts.streaming);
  }

  /**
   * Reads the CRI log file the runtime writes (containerStatus.logPath; none without a log path).
   * Following ends when the container is not running, as with kubelet.
   */
  async *containerLogs(id: string, opts: { follow: boolean; tailLines?: number; sinceTime?: Date }, signal: AbortSignal): AsyncIterable<LogLine> {
    const st = await this.containerStatus(id);
    if (st.logPath === '') throw new CriError('FailedPrecondition', `container logs ${short(id)}: the container has no log path (its sandbox has no log directory)`);
    yield* readContainerLog(st, opts, { status: () => this.containerStatus(id) }, signal);
  }

  events(signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    return remoteEvents({ client: this.client, list: () => this.listContainers(), intervalMs: this.opts.relistIntervalMs ?? 1000, log: this.log }, signal);
  }

  async containerStats(id: string): Promise<ContainerStats> {
    const r = await this.lookup<{ stats?: Parameters<typeof w.containerStatsFromWire>[0] | null }>('ContainerStats', { container_id: id }, `container stats ${short(id)}`);
    if (!r.stats) throw new CriError('NotFound', `container stats ${short(id)}: no stats`);
    return w.containerStatsFromWire(r.stats);
  }

  /** Runtimes may ignore the filter (containerd 1.6 does): it is applied again here, as crictl does. */
  async listImages(filter?: ImageFilter): Promise<Image[]> {
    const r = await this.lookup<{ images?: WImage[] }>('ListImages', { filter: w.imageFilterToWire(filter) }, 'list images', 'image');
    const images = (r.images ?? []).map(w.imageFromWire);
    const ref = filter?.image?.image;
    return ref === undefined || ref === '' ? images : images.filter((i) => imageMatches(i, ref));
  }
  async imageStatus(image: ImageSpec): Promise<Image | undefined> {
    const r = await this.lookup<{ image?: WImage | null }>('ImageStatus', { image: w.imageSpecToWire(image), verbose: false }, `image status ${image.image}`, 'image');
    return r.image ? w.imageFromWire(r.image) : undefined;
  }
  async pullImage(image: ImageSpec, auth?: AuthConfig, signal?: AbortSignal): Promise<string> {
    const r = await this.rpc<{ image_ref?: string }>('image', 'PullImage', { image: w.imageSpecToWire(image), auth: w.authToWire(auth) },
      { timeoutMs: this.opts.pullTimeoutMs ?? DEADLINES.pullMs, what: `pull image ${image.image}`, ...(signal === undefined ? {} : { signal }) });
    return r.image_ref ?? '';
  }
  removeImage(image: ImageSpec): Promise<void> {
    return this.idempotent(this.rpc('image', 'RemoveImage', { image: w.imageSpecToWire(image) }, { timeoutMs: DEADLINES.lifecycleMs, what: `remove image ${image.image}` }));
  }

  /** Closes the channel; calls after it fail. */
  close(): void {
    this.client.close();
  }
}
