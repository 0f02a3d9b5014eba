/**
 * FakeRuntime: an in-memory Runtime for agent unit tests, with the contract's idempotency
 * (stop/remove of a stopped/removed thing succeeds) and knobs to script what a real runtime would
 * do: containers that exit (with a code, or OOM) some time after start, image pulls that fail or
 * take time, scripted execSync answers, recorded log lines, and an events() stream.
 *
 * Container state machine (as in cri/types.ts):
 *   create → CREATED --start--> RUNNING --exit/stop--> EXITED --remove--> gone
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Duplex } from 'node:stream';
import { CriError } from '../errors.js';
import type {
  AttachOptions, AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStatus, ExecOptions, ExecSyncResponse,
  Image, ImageFilter, ImageSpec, LogLine, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, Runtime,
  RuntimeEvent, StreamSession,
} from '../types.js';
import { FakeEvents } from './fake-events.js';
import { FakeImages } from './fake-images.js';
import { echoSession, execSession, replayLogs } from './fake-streams.js';

/** What a container does once started. Matched by container name (and pod name when given). */
export interface FakeBehaviour {
  /** Exit this long after start (undefined: run until stopped). */
  exitAfterMs?: number;
  exitCode?: number;
  /** Exit as OOMKilled (exit code 137). */
  oom?: boolean;
  /** startContainer throws this (a CriError 'Unknown'). */
  startError?: string;
  /** Exit code when stopped (default 137: PID 1 without a SIGTERM handler is killed). */
  stopExitCode?: number;
}

export type ExecHandler = (cmd: readonly string[], containerId: string) => Partial<ExecSyncResponse> & { delayMs?: number };

interface FakeSandbox { s: PodSandboxStatus; config: PodSandboxConfig }
interface FakeContainer { c: ContainerStatus; config: ContainerConfig; timer?: NodeJS.Timeout; logs: LogLine[] }

export interface FakeRuntimeOptions {
  /** Images present from the start. */
  images?: string[];
  /** First three octets of pod IPs (default "10.88.0"). */
  ipPrefix?: string;
  runtimeName?: string;
  runtimeVersion?: string;
}

const nowNs = (): number => Date.now() * 1e6;
const newId = (): string => randomBytes(32).toString('hex');

function matches(labels: Record<string, string>, sel?: Record<string, string>): boolean {
  return Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);
}

export class FakeRuntime implements Runtime {
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  readonly imageStore: FakeImages;
  /** Every mutating call, e.g. "startContainer <id>", in order. */
  readonly calls: string[] = [];
  /** stopContainer calls with their timeouts. */
  readonly stops: Array<{ containerId: string; timeoutSeconds: number }> = [];
  private readonly behaviours: Array<{ container: string; pod?: string; b: FakeBehaviour }> = [];
  private readonly execHandlers = new Map<string, ExecHandler>();
  private readonly usedIps = new Set<number>();
  private readonly bus = new FakeEvents();
  constructor(private readonly o: FakeRuntimeOptions = {}) {
    this.imageStore = new FakeImages(this.calls);
    for (const i of o.images ?? []) this.addImage(i);
  }

  // ---- knobs for tests ----

  addImage(ref: string): void { this.imageStore.add(ref); }
  /** pullImage(ref) fails with a CriError 'Unknown' carrying `message` (until allowPull). */
  failPull(ref: string, message = `pull access denied for ${ref}, repository does not exist`): void { this.imageStore.failPull(ref, message); }
  allowPull(ref: string): void { this.imageStore.allowPull(ref); }
  /** Every pull takes this long. */
  set pullDelayMs(ms: number) { this.imageStore.pullDelayMs = ms; }
  /** Behaviour applied at each start of containers named `container` (optionally only in pod `pod`). */
  setBehaviour(container: string, b: FakeBehaviour, pod?: string): void {
    this.behaviours.unshift({ container, pod, b });
  }
  /** execSync/exec answers for containers named `container`. */
  onExec(container: string, h: ExecHandler): void { this.execHandlers.set(container, h); }
  /** Make a running container exit now. */
  exit(containerId: string, exitCode: number, opts: { oom?: boolean } = {}): void {
    const fc = this.containers.get(containerId);
    if (fc?.c.state === 'CONTAINER_RUNNING') this.finish(fc, exitCode, opts.oom ?? false);
  }
  /** Append a line to a container's log. */
  log(containerId: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.containers.get(containerId)?.logs.push({ time: new Date().toISOString(), stream, line: Buffer.from(line) });
    this.bus.poke();
  }
  /** Pod IPs currently handed out. */
  allocatedIps(): string[] { return [...this.usedIps].sort((a, b) => a - b).map((n) => this.ip(n)); }
  /** Containers of a pod (by name label), any state. */
  containersOf(podName: string, containerName?: string): ContainerStatus[] {
    return [...this.containers.values()].map((f) => f.c)
      .filter((c) => c.labels['io.kubernetes.pod.name'] === podName && (containerName === undefined || c.metadata.name === containerName))
      .sort((a, b) => a.createdAt - b.createdAt || a.metadata.attempt - b.metadata.attempt);
  }
  events(signal: AbortSignal): AsyncIterable<RuntimeEvent> { return this.bus.subscribe(signal); }

  // ---- RuntimeService ----

  async version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }> {
    return { runtimeName: this.o.runtimeName ?? 'fake', runtimeVersion: this.o.runtimeVersion ?? '0.1.0', runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    this.calls.push(`runPodSandbox ${config.metadata.namespace}/${config.metadata.name}`);
    let n = 2;
    while (this.usedIps.has(n)) n++;
    this.usedIps.add(n);
    this.sandboxes.set(id, {
      config,
      s: { id, metadata: { ...config.metadata }, state: 'SANDBOX_READY', createdAt: nowNs(), labels: { ...(config.labels ?? {}) },
        annotations: { ...(config.annotations ?? {}) }, network: { ip: this.ip(n) } },
    });
    return id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) return;
    this.calls.push(`stopPodSandbox ${podSandboxId}`);
    for (const fc of this.containers.values()) if (fc.c.podSandboxId === podSandboxId && fc.c.state === 'CONTAINER_RUNNING') this.finish(fc, 137, false);
    sb.s.state = 'SANDBOX_NOTREADY';
    this.releaseIp(sb);
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) return;
    this.calls.push(`removePodSandbox ${podSandboxId}`);
    await this.stopPodSandbox(podSandboxId);
    for (const [id, fc] of this.containers) if (fc.c.podSandboxId === podSandboxId) { clearTimeout(fc.timer); this.containers.delete(id); }
    this.sandboxes.delete(podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) throw new CriError('NotFound', `pod sandbox ${podSandboxId}: not found`);
    return structuredClone(sb.s);
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    return [...this.sandboxes.values()].map((x) => x.s)
      .filter((s) => (!filter.id || s.id === filter.id) && (!filter.state || s.state === filter.state) && matches(s.labels, filter.labelSelector))
      .map(({ network: _network, ...rest }) => structuredClone(rest));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, _sandboxConfig: PodSandboxConfig): Promise<string> {
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb) throw new CriError('NotFound', `create container: pod sandbox ${podSandboxId} not found`);
    const img = this.imageStore.images.get(config.image.image);
    if (!img) throw new CriError('NotFound', `create container: image "${config.image.image}" not present`);
    const id = newId();
    this.calls.push(`createContainer ${sb.config.metadata.name}/${config.metadata.name}`);
    this.containers.set(id, {
      config, logs: [],
      c: { id, podSandboxId, metadata: { ...config.metadata }, image: { ...config.image }, imageRef: img.id, state: 'CONTAINER_CREATED',
        createdAt: nowNs(), labels: { ...(config.labels ?? {}) }, annotations: { ...(config.annotations ?? {}) },
        startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '', logPath: config.logPath ?? '' },
    });
    this.bus.emit({ containerId: id, podSandboxId, podUid: sb.s.metadata.uid, type: 'created' });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const fc = this.mustGet(containerId);
    if (fc.c.state !== 'CONTAINER_CREATED') throw new CriError('InvalidArgument', `start container ${containerId}: state ${fc.c.state}`);
    this.calls.push(`startContainer ${fc.c.labels['io.kubernetes.pod.name'] ?? ''}/${fc.c.metadata.name}`);
    const b = this.behaviourOf(fc);
    if (b.startError) {
      Object.assign(fc.c, { state: 'CONTAINER_EXITED', exitCode: 128, reason: 'ContainerCannotRun', message: b.startError, finishedAt: nowNs() });
      throw new CriError('Unknown', `start container ${containerId}: ${b.startError}`);
    }
    Object.assign(fc.c, { state: 'CONTAINER_RUNNING', startedAt: nowNs() });
    this.bus.emit({ containerId, podSandboxId: fc.c.podSandboxId, podUid: fc.c.labels['io.kubernetes.pod.uid'], type: 'started' });
    if (b.exitAfterMs !== undefined) {
      fc.timer = setTimeout(() => this.finish(fc, b.oom ? 137 : b.exitCode ?? 0, b.oom ?? false), b.exitAfterMs);
      fc.timer.unref();
    }
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const fc = this.containers.get(containerId);
    if (!fc) return;
    this.stops.push({ containerId, timeoutSeconds });
    this.calls.push(`stopContainer ${fc.c.labels['io.kubernetes.pod.name'] ?? ''}/${fc.c.metadata.name}`);
    if (fc.c.state === 'CONTAINER_RUNNING') this.finish(fc, this.behaviourOf(fc).stopExitCode ?? 137, false);
    else if (fc.c.state === 'CONTAINER_CREATED') Object.assign(fc.c, { state: 'CONTAINER_EXITED', finishedAt: nowNs() });
  }

  async removeContainer(containerId: string): Promise<void> {
    const fc = this.containers.get(containerId);
    if (!fc) return;
    this.calls.push(`removeContainer ${fc.c.labels['io.kubernetes.pod.name'] ?? ''}/${fc.c.metadata.name}`);
    clearTimeout(fc.timer);
    this.containers.delete(containerId);
    this.bus.emit({ containerId, podSandboxId: fc.c.podSandboxId, podUid: fc.c.labels['io.kubernetes.pod.uid'], type: 'deleted' });
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    return [...this.containers.values()].map((f) => f.c)
      .filter((c) => (!filter.id || c.id === filter.id) && (!filter.podSandboxId || c.podSandboxId === filter.podSandboxId)
        && (!filter.state || c.state === filter.state) && matches(c.labels, filter.labelSelector))
      .map(({ id, podSandboxId, metadata, image, imageRef, state, createdAt, labels, annotations }) =>
        structuredClone({ id, podSandboxId, metadata, image, imageRef, state, createdAt, labels, annotations }));
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return structuredClone(this.mustGet(containerId).c);
  }

  async execSync(containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    const fc = this.mustGet(containerId);
    if (fc.c.state !== 'CONTAINER_RUNNING') throw new CriError('Unknown', `exec in container ${containerId}: not running`);
    const r = this.execHandlers.get(fc.c.metadata.name)?.(cmd, containerId) ?? {};
    if (r.delayMs) {
      if (r.delayMs > timeoutSeconds * 1000) {
        await new Promise((res) => setTimeout(res, timeoutSeconds * 1000));
        throw new CriError('DeadlineExceeded', `exec in container ${containerId}: timeout ${timeoutSeconds}s`);
      }
      await new Promise((res) => setTimeout(res, r.delayMs));
    }
    return { stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr ?? Buffer.alloc(0), exitCode: r.exitCode ?? 0 };
  }

  async exec(containerId: string, opts: ExecOptions): Promise<StreamSession> {
    return execSession(await this.execSync(containerId, opts.cmd, 3600), opts);
  }

  /** stdin of an attach is echoed to stdout (like `cat` as the main process). */
  async attach(containerId: string, opts: AttachOptions): Promise<StreamSession> {
    this.mustGet(containerId);
    return echoSession(opts);
  }

  /** An echo connection: what is written comes back. */
  async portForward(podSandboxId: string, _port: number): Promise<Duplex> {
    if (!this.sandboxes.has(podSandboxId)) throw new CriError('NotFound', `port forward: pod sandbox ${podSandboxId} not found`);
    return new PassThrough();
  }

  containerLogs(containerId: string, opts: { follow: boolean; tailLines?: number; sinceTime?: Date }, signal: AbortSignal): AsyncIterable<LogLine> {
    const fc = this.mustGet(containerId);
    return replayLogs(fc.logs, opts, signal, {
      running: () => this.containers.get(containerId)?.c.state === 'CONTAINER_RUNNING',
      changed: (sig) => this.bus.changed(sig),
    });
  }

  // ---- ImageService (fake-images.ts) ----

  listImages(filter?: ImageFilter): Promise<Image[]> { return this.imageStore.listImages(filter); }
  imageStatus(image: ImageSpec): Promise<Image | undefined> { return this.imageStore.imageStatus(image); }
  pullImage(image: ImageSpec, auth?: AuthConfig, signal?: AbortSignal): Promise<string> { return this.imageStore.pullImage(image, auth, signal); }
  removeImage(image: ImageSpec): Promise<void> { return this.imageStore.removeImage(image); }

  // ---- helpers ----

  private ip(n: number): string { return `${this.o.ipPrefix ?? '10.88.0'}.${n}`; }

  private releaseIp(sb: FakeSandbox): void {
    const ip = sb.s.network?.ip;
    if (!ip) return;
    this.usedIps.delete(Number(ip.split('.').pop()));
    sb.s.network = { ip: '' };
  }

  private mustGet(id: string): FakeContainer {
    const fc = this.containers.get(id);
    if (!fc) throw new CriError('NotFound', `container ${id}: not found`);
    return fc;
  }

  private behaviourOf(fc: FakeContainer): FakeBehaviour {
    const pod = fc.c.labels['io.kubernetes.pod.name'];
    return this.behaviours.find((x) => x.container === fc.c.metadata.name && (x.pod === undefined || x.pod === pod))?.b ?? {};
  }

  private finish(fc: FakeContainer, exitCode: number, oom: boolean): void {
    clearTimeout(fc.timer);
    const reason = oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    Object.assign(fc.c, { state: 'CONTAINER_EXITED', exitCode, reason, finishedAt: nowNs() });
    this.bus.emit({ containerId: fc.c.id, podSandboxId: fc.c.podSandboxId, podUid: fc.c.labels['io.kubernetes.pod.uid'], type: 'stopped' });
  }
}
