/**
 * The CRI calls crictl needs beyond the agent's contract (RuntimeExtrasService): status and
 * verbose inspection, image filesystems, stats lists, resource updates, log reopening. The base of
 * RemoteRuntime; lookups get the short deadline, updates the lifecycle one.
 */
import { CriError } from '../errors.js';
import * as w from '../grpc/convert.js';
import type {
  WContainerStats, WContainerStatus, WFilesystemUsage, WImage, WPodSandboxStats, WPodSandboxStatus, WRuntimeCondition,
} from '../grpc/wire.js';
import type {
  ContainerStats, ContainerStatsFilter, ContainerStatus, FilesystemUsage, Image, ImageSpec, LinuxContainerResources,
  PodSandboxStats, PodSandboxStatsFilter, PodSandboxStatus, RuntimeExtrasService, RuntimeStatus,
} from '../types.js';
import type { CriClient } from './cri-client.js';
import { DEADLINES } from './deadlines.js';

type Info = Record<string, string>;
const short = (id: string): string => id.slice(0, 12);

export class RemoteExtras implements RuntimeExtrasService {
  constructor(protected readonly client: CriClient) {}

  private look<Res extends object>(name: string, req: object, what: string, service: 'runtime' | 'image' = 'runtime'): Promise<Res> {
    return this.client.unary<Res>(service, name, req, { timeoutMs: DEADLINES.lookupMs, what });
  }

  async status(opts: { verbose?: boolean } = {}): Promise<RuntimeStatus> {
    const r = await this.look<{ status?: { conditions?: WRuntimeCondition[] } | null; info?: Info }>('Status', { verbose: opts.verbose === true }, 'runtime status');
    return { conditions: w.conditionsFromWire(r.status?.conditions), info: { ...(r.info ?? {}) } };
  }

  async podSandboxStatusVerbose(id: string): Promise<{ status: PodSandboxStatus; info: Info }> {
    const r = await this.look<{ status?: WPodSandboxStatus | null; info?: Info }>('PodSandboxStatus', { pod_sandbox_id: id, verbose: true }, `pod sandbox status ${short(id)}`);
    if (!r.status) throw new CriError('NotFound', `pod sandbox status ${short(id)}: no status`);
    return { status: w.podSandboxStatusFromWire(r.status), info: { ...(r.info ?? {}) } };
  }

  async containerStatusVerbose(id: string): Promise<{ status: ContainerStatus; info: Info }> {
    const [r, listed] = await Promise.all([
      this.look<{ status?: WContainerStatus | null; info?: Info }>('ContainerStatus', { container_id: id, verbose: true }, `container status ${short(id)}`),
      this.look<{ containers?: { id?: string; pod_sandbox_id?: string }[] }>('ListContainers', { filter: { id } }, 'list containers').catch(() => ({ containers: [] })),
    ]);
    if (!r.status) throw new CriError('NotFound', `container status ${short(id)}: no status`);
    const sandbox = (listed.containers ?? []).find((c) => c.id === r.status?.id)?.pod_sandbox_id ?? '';
    return { status: w.containerStatusFromWire(r.status, sandbox), info: { ...(r.info ?? {}) } };
  }

  async imageStatusVerbose(image: ImageSpec): Promise<{ image: Image | undefined; info: Info }> {
    const r = await this.look<{ image?: WImage | null; info?: Info }>('ImageStatus', { image: w.imageSpecToWire(image), verbose: true }, `image status ${image.image}`, 'image');
    return { image: r.image ? w.imageFromWire(r.image) : undefined, info: { ...(r.info ?? {}) } };
  }

  async imageFsInfo(): Promise<FilesystemUsage[]> {
    const r = await this.look<{ image_filesystems?: WFilesystemUsage[] }>('ImageFsInfo', {}, 'image fs info', 'image');
    return (r.image_filesystems ?? []).map(w.filesystemUsageFromWire);
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    const r = await this.look<{ stats?: WContainerStats[] }>('ListContainerStats', { filter: w.containerStatsFilterToWire(filter) }, 'list container stats');
    return (r.stats ?? []).map(w.containerStatsFromWire);
  }

  async podSandboxStats(id: string): Promise<PodSandboxStats> {
    const r = await this.look<{ stats?: WPodSandboxStats | null }>('PodSandboxStats', { pod_sandbox_id: id }, `pod sandbox stats ${short(id)}`);
    if (!r.stats) throw new CriError('NotFound', `pod sandbox stats ${short(id)}: no stats`);
    return w.podSandboxStatsFromWire(r.stats);
  }

  async listPodSandboxStats(filter?: PodSandboxStatsFilter): Promise<PodSandboxStats[]> {
    const r = await this.look<{ stats?: WPodSandboxStats[] }>('ListPodSandboxStats', { filter: w.podSandboxStatsFilterToWire(filter) }, 'list pod sandbox stats');
    return (r.stats ?? []).map(w.podSandboxStatsFromWire);
  }

  async updateContainerResources(id: string, resources: LinuxContainerResources): Promise<void> {
    await this.client.unary('runtime', 'UpdateContainerResources', { container_id: id, linux: w.resourcesToWire(resources) },
      { timeoutMs: DEADLINES.lifecycleMs, what: `update container resources ${short(id)}` });
  }

  async reopenContainerLog(id: string): Promise<void> {
    await this.client.unary('runtime', 'ReopenContainerLog', { container_id: id }, { timeoutMs: DEADLINES.lifecycleMs, what: `reopen container log ${short(id)}` });
  }
}
