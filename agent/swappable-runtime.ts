/**
 * A Runtime that forwards to another one that can be replaced: the Docker backend's CNI config
 * needs the node's podCIDR, which the control plane assigns after the node registered. The agent
 * registers with a runtime on a placeholder network, then swaps in the real one before any pod runs.
 */
import type { Duplex } from 'node:stream';
import type {
  AttachOptions, AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStatus, ExecOptions, ExecSyncResponse, Image,
  ImageFilter, ImageSpec, LogLine, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, Runtime, RuntimeEvent, StreamSession,
} from '../cri/types.js';
import { hasEvents } from './pleg.js';

export class SwappableRuntime implements Runtime {
  constructor(private current: Runtime) {}

  swap(next: Runtime): void { this.current = next; }

  async *events(signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    const r = this.current;
    if (hasEvents(r)) yield* r.events(signal);
  }

  version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }> { return this.current.version(); }
  runPodSandbox(config: PodSandboxConfig): Promise<string> { return this.current.runPodSandbox(config); }
  stopPodSandbox(id: string): Promise<void> { return this.current.stopPodSandbox(id); }
  removePodSandbox(id: string): Promise<void> { return this.current.removePodSandbox(id); }
  podSandboxStatus(id: string): Promise<PodSandboxStatus> { return this.current.podSandboxStatus(id); }
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> { return this.current.listPodSandbox(filter); }
  createContainer(id: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> { return this.current.createContainer(id, config, sandboxConfig); }
  startContainer(id: string): Promise<void> { return this.current.startContainer(id); }
  stopContainer(id: string, timeoutSeconds: number): Promise<void> { return this.current.stopContainer(id, timeoutSeconds); }
  removeContainer(id: string): Promise<void> { return this.current.removeContainer(id); }
  listContainers(filter?: ContainerFilter): Promise<Container[]> { return this.current.listContainers(filter); }
  containerStatus(id: string): Promise<ContainerStatus> { return this.current.containerStatus(id); }
  execSync(id: string, cmd: readonly string[], timeoutSeconds: number): Promise<ExecSyncResponse> { return this.current.execSync(id, cmd, timeoutSeconds); }
  exec(id: string, opts: ExecOptions): Promise<StreamSession> { return this.current.exec(id, opts); }
  attach(id: string, opts: AttachOptions): Promise<StreamSession> { return this.current.attach(id, opts); }
  portForward(id: string, port: number): Promise<Duplex> { return this.current.portForward(id, port); }
  containerLogs(id: string, opts: { follow: boolean; tailLines?: number; sinceTime?: Date }, signal: AbortSignal): AsyncIterable<LogLine> {
    return this.current.containerLogs(id, opts, signal);
  }
  listImages(filter?: ImageFilter): Promise<Image[]> { return this.current.listImages(filter); }
  imageStatus(image: ImageSpec): Promise<Image | undefined> { return this.current.imageStatus(image); }
  pullImage(image: ImageSpec, auth?: AuthConfig, signal?: AbortSignal): Promise<string> { return this.current.pullImage(image, auth, signal); }
  removeImage(image: ImageSpec): Promise<void> { return this.current.removeImage(image); }
}
