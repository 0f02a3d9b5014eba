/**
 * FakeRuntime: the in-memory Runtime for unit tests (agent, node API, crictl), held to the same
 * contract suite as the real backends (test/conformance/runtime.ts), with knobs to script what a
 * real runtime would do: containers that exit (with a code, or OOM) some time after start, image
 * pulls that fail or take time, scripted exec answers, recorded log lines, port-forward to a real
 * address. Without a script a container runs its command through the fake shell (fake-shell.ts).
 *
 * Container state machine (as in cri/types.ts):
 *   create → CREATED --start--> RUNNING --exit/stop--> EXITED --remove--> gone
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { firstHost } from '../cni/conflist.js';
import { CriError } from '../errors.js';
import type {
  AttachOptions, AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStatus, ExecOptions, ExecSyncResponse,
  Image, ImageFilter, ImageSpec, LogLine, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, Runtime,
  RuntimeConfig, RuntimeEvent, StreamSession,
} from '../types.js';
import { programBehaviour, type FakeBehaviour } from './fake-behaviour.js';
import { containersOfPod, listView, markCannotRun, markExited, newFakeContainer, outputLines, type FakeContainer } from './fake-container.js';
import { FakeEvents } from './fake-events.js';
import { fakeExecSync, type ExecHandler } from './fake-exec.js';
import { FakeImages } from './fake-images.js';
import { FakeSandboxes, nowNs, type FakeSandbox } from './fake-sandboxes.js';
import { runShell, type ShellContext } from './fake-shell.js';
import { shellContext } from './fake-shell-context.js';
import { attachSession, execSession, forwardConnection, replayLogs, shellSession } from './fake-streams.js';

export interface FakeRuntimeOptions {
  /** Images present from the start. */
  images?: string[];
  /** First three octets of pod IPs (default "10.88.0"). */
  ipPrefix?: string;
  runtimeName?: string;
  runtimeVersion?: string;
  /** Where portForward connects, whatever the port (default: an echo stream). */
  portForwardTo?: { host: string; port: number };
}

const newId = (): string => randomBytes(32).toString('hex');

export class FakeRuntime implements Runtime {
  readonly containers = new Map<string, FakeContainer>();
  readonly imageStore: FakeImages;
  /** Every mutating call, e.g. "startContainer <pod>/<container>", in order. */
  readonly calls: string[] = [];
  /** stopContainer calls with their timeouts. */
  readonly stops: Array<{ containerId: string; timeoutSeconds: number }> = [];
  /** Ports asked of portForward, in order. */
  readonly forwardedPorts: number[] = [];
  /** The last updateRuntimeConfig. */
  runtimeConfig: RuntimeConfig = {};
  private readonly pods: FakeSandboxes;
  private readonly behaviours: Array<{ container: string; pod?: string; b: FakeBehaviour }> = [];
  private readonly execHandlers = new Map<string, ExecHandler>();
  private readonly bus = new FakeEvents();

  constructor(private readonly o: FakeRuntimeOptions = {}) {
    this.imageStore = new FakeImages(this.calls);
    this.pods = new FakeSandboxes(o.ipPrefix ?? '10.88.0');
    for (const i of o.images ?? []) this.addImage(i);
  }

  get sandboxes(): Map<string, FakeSandbox> { return this.pods.map; }

  // ---- knobs for tests ----

  /** An image, optionally with its USER (uid or username) as imageStatus reports it. */
  addImage(ref: string, user: Pick<Image, 'uid' | 'username'> = {}): void { this.imageStore.add(ref, user); }
  /** pullImage(ref) fails with a CriError 'Unknown' carrying `message` (until allowPull). */
  failPull(ref: string, message = `pull access denied for ${ref}, repository does not exist`): void { this.imageStore.failPull(ref, message); }
  allowPull(ref: string): void { this.imageStore.allowPull(ref); }
  /** Every pull takes this long. */
  set pullDelayMs(ms: number) { this.imageStore.pullDelayMs = ms; }
  /** Behaviour applied at each start of containers named `container` (optionally only in pod `pod`), instead of their command. */
  setBehaviour(container: string, b: FakeBehaviour, pod?: string): void { this.behaviours.unshift({ container, pod, b }); }
  /** execSync/exec answers for containers named `container`, instead of the fake shell. */
  onExec(container: string, h: ExecHandler): void { this.execHandlers.set(container, h); }
  /** Make a running container exit now. */
  exit(containerId: string, exitCode: number, opts: { oom?: boolean } = {}): void {
    const fc = this.containers.get(containerId);
    if (fc?.c.state === 'CONTAINER_RUNNING') this.finish(fc, exitCode, opts.oom ?? false);
  }
  /** Append a line (without its newline) to a container's log. */
  log(containerId: string, line: string, opts: { stream?: 'stdout' | 'stderr'; time?: string } = {}): void {
    this.containers.get(containerId)?.logs.push({ time: opts.time ?? new Date().toISOString(), stream: opts.stream ?? 'stdout', line: Buffer.from(line) });
    this.bus.poke();
  }
  /** Pod IPs currently handed out. */
  allocatedIps(): string[] { return this.pods.allocatedIps(); }
  /** Containers of a pod (by name label), any state, oldest first. */
  containersOf(podName: string, containerName?: string): ContainerStatus[] { return containersOfPod(this.containers.values(), podName, containerName); }

  // ---- RuntimeService ----

  async version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }> {
    return { runtimeName: this.o.runtimeName ?? 'fake', runtimeVersion: this.o.runtimeVersion ?? '0.1.0', runtimeApiVersion: 'v1' };
  }

  async updateRuntimeConfig(runtimeConfig: RuntimeConfig): Promise<void> {
    const podCidr = runtimeConfig.networkConfig?.podCidr ?? '';
    if (podCidr !== '') firstHost(podCidr); // throws InvalidArgument, as a conflist template would
    this.calls.push(`updateRuntimeConfig ${podCidr}`);
    this.runtimeConfig = structuredClone(runtimeConfig);
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    this.calls.push(`runPodSandbox ${config.metadata.namespace}/${config.metadata.name}`);
    this.pods.add(id, config);
    return id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.pods.map.get(podSandboxId);
    if (!sb) return;
    this.calls.push(`stopPodSandbox ${podSandboxId}`);
    for (const fc of this.containers.values()) if (fc.c.podSandboxId === podSandboxId && fc.c.state === 'CONTAINER_RUNNING') this.finish(fc, 137, false);
    this.pods.stop(sb);
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    if (!this.pods.map.has(podSandboxId)) return;
    this.calls.push(`removePodSandbox ${podSandboxId}`);
    await this.stopPodSandbox(podSandboxId);
    for (const [id, fc] of this.containers) if (fc.c.podSandboxId === podSandboxId) this.drop(id, fc);
    this.pods.map.delete(podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return structuredClone(this.pods.mustGet(podSandboxId, 'pod sandbox status').s);
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> { return this.pods.list(filter); }

  async createContainer(podSandboxId: string, config: ContainerConfig, _sandboxConfig: PodSandboxConfig): Promise<string> {
    const sb = this.pods.mustGet(podSandboxId, 'create container');
    const img = this.imageStore.images.get(config.image.image);
    if (!img) throw new CriError('NotFound', `create container: image "${config.image.image}" not present`);
    const id = newId();
    this.calls.push(`createContainer ${sb.config.metadata.name}/${config.metadata.name}`);
    this.containers.set(id, newFakeContainer({ id, podSandboxId, config, imageRef: img.id }));
    this.bus.emit({ containerId: id, podSandboxId, podUid: sb.s.metadata.uid, type: 'created' });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const fc = this.mustGet(containerId);
    if (fc.c.state !== 'CONTAINER_CREATED') throw new CriError('InvalidArgument', `start container ${containerId}: state ${fc.c.state}`);
    this.calls.push(`startContainer ${this.nameOf(fc)}`);
    const b = this.behaviourOf(fc);
    if (b.startError) {
      markCannotRun(fc, b.startError);
      throw new CriError('Unknown', `start container ${containerId}: ${b.startError}`);
    }
    Object.assign(fc.c, { state: 'CONTAINER_RUNNING', startedAt: nowNs() });
    this.emit(fc, 'started');
    for (const { stream, line } of outputLines(b.output)) this.log(containerId, line, { stream });
    if (b.exitAfterMs !== undefined) {
      fc.timer = setTimeout(() => this.finish(fc, b.oom ? 137 : b.exitCode ?? 0, b.oom ?? false), b.exitAfterMs);
      fc.timer.unref();
    }
  }

  /** Idempotent; a container that never started stays CREATED (as containerd has it). */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const fc = this.containers.get(containerId);
    if (!fc) return;
    this.stops.push({ containerId, timeoutSeconds });
    this.calls.push(`stopContainer ${this.nameOf(fc)}`);
    if (fc.c.state === 'CONTAINER_RUNNING') this.finish(fc, this.behaviourOf(fc).stopExitCode ?? 137, false);
  }

  async removeContainer(containerId: string): Promise<void> {
    const fc = this.containers.get(containerId);
    if (!fc) return;
    this.calls.push(`removeContainer ${this.nameOf(fc)}`);
    this.drop(containerId, fc);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> { return listView(this.containers.values(), filter); }

  async containerStatus(containerId: string): Promise<ContainerStatus> { return structuredClone(this.mustGet(containerId).c); }

  async execSync(containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    const fc = this.mustGet(containerId);
    if (fc.c.state !== 'CONTAINER_RUNNING') throw new CriError('Unknown', `exec in container ${containerId}: not running`);
    return fakeExecSync({ containerId, cmd, timeoutSeconds, handler: this.execHandlers.get(fc.c.metadata.name), shell: this.shellOf(fc) });
  }

  async exec(containerId: string, opts: ExecOptions): Promise<StreamSession> {
    const fc = this.mustGet(containerId);
    if (this.execHandlers.has(fc.c.metadata.name)) return execSession(await this.execSync(containerId, opts.cmd, 3600), opts);
    if (fc.c.state !== 'CONTAINER_RUNNING') throw new CriError('Unknown', `exec in container ${containerId}: not running`);
    return shellSession(runShell(opts.cmd, this.shellOf(fc)), opts);
  }

  /** The main process is a `cat`: stdin comes back on stdout, until stdin ends or the container exits. */
  async attach(containerId: string, opts: AttachOptions): Promise<StreamSession> {
    return attachSession(opts, this.mustGet(containerId).exited);
  }

  /** A connection to `portForwardTo` (any port), else an echo stream. */
  async portForward(podSandboxId: string, port: number): Promise<Duplex> {
    this.pods.mustGet(podSandboxId, 'port forward');
    this.forwardedPorts.push(port);
    return forwardConnection(this.o.portForwardTo, port);
  }

  containerLogs(containerId: string, opts: { follow: boolean; tailLines?: number; sinceTime?: Date }, signal: AbortSignal): AsyncIterable<LogLine> {
    const fc = this.mustGet(containerId);
    return replayLogs(fc.logs, opts, signal, {
      running: () => this.containers.get(containerId)?.c.state === 'CONTAINER_RUNNING',
      changed: (sig) => this.bus.changed(sig),
    });
  }

  events(signal: AbortSignal): AsyncIterable<RuntimeEvent> { return this.bus.subscribe(signal); }

  // ---- ImageService (fake-images.ts) ----

  listImages(filter?: ImageFilter): Promise<Image[]> { return this.imageStore.listImages(filter); }
  imageStatus(image: ImageSpec): Promise<Image | undefined> { return this.imageStore.imageStatus(image); }
  pullImage(image: ImageSpec, auth?: AuthConfig, signal?: AbortSignal): Promise<string> { return this.imageStore.pullImage(image, auth, signal); }
  removeImage(image: ImageSpec): Promise<void> { return this.imageStore.removeImage(image); }

  private mustGet(id: string): FakeContainer {
    const fc = this.containers.get(id);
    if (!fc) throw new CriError('NotFound', `container ${id}: not found`);
    return fc;
  }

  private nameOf(fc: FakeContainer): string { return `${fc.c.labels['io.kubernetes.pod.name'] ?? ''}/${fc.c.metadata.name}`; }

  private behaviourOf(fc: FakeContainer): FakeBehaviour {
    const pod = fc.c.labels['io.kubernetes.pod.name'];
    return this.behaviours.find((x) => x.container === fc.c.metadata.name && (x.pod === undefined || x.pod === pod))?.b ?? programBehaviour(fc.config, this.shellOf(fc));
  }

  /** The container's user, groups and writable paths, from its security context and its image's USER. */
  private shellOf(fc: FakeContainer): ShellContext {
    const image = [...this.imageStore.images.values()].find((i) => i.id === fc.c.imageRef);
    return shellContext(fc.config, image);
  }

  private emit(fc: FakeContainer, type: RuntimeEvent['type']): void {
    this.bus.emit({ containerId: fc.c.id, podSandboxId: fc.c.podSandboxId, podUid: fc.c.labels['io.kubernetes.pod.uid'], type });
  }

  private finish(fc: FakeContainer, exitCode: number, oom: boolean): void {
    markExited(fc, exitCode, oom);
    this.emit(fc, 'stopped');
  }

  private drop(id: string, fc: FakeContainer): void {
    clearTimeout(fc.timer);
    fc.onExit(fc.c.exitCode);
    this.containers.delete(id);
    this.emit(fc, 'deleted');
  }
}
