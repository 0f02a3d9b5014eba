/**
 * App containers on Docker. Create joins the sandbox's namespaces; start begins the copy of Docker's
 * log stream into the CRI log file (cri-log-file.ts); stop and remove are idempotent.
 */
import { CriError } from '../errors.js';
import type { Container, ContainerConfig, ContainerFilter, ContainerStatus, PodSandboxConfig } from '../types.js';
import { containerCreateOptions } from './container-config.js';
import { containerFromListInfo, statusFromInspect } from './container-status.js';
import type { DockerContext } from './context.js';
import type { ContainerInspect } from './engine/types.js';
import { docker as call, dockerIdempotent, dockerStatus, translateDockerError } from './errors.js';
import { LABEL_LOG_PATH, LABEL_SANDBOX_ID, LABEL_TYPE, labelFilters, TYPE_CONTAINER } from './labels.js';

export async function createContainer(ctx: DockerContext, sandboxId: string, config: ContainerConfig,
  sandboxConfig: PodSandboxConfig): Promise<string> {
  const opts = containerCreateOptions(sandboxId, config, sandboxConfig, ctx.scope);
  return call(`create container ${opts.name ?? ''}`, () => ctx.docker.createContainer(opts));
}

export async function startContainer(ctx: DockerContext, id: string): Promise<void> {
  try {
    await ctx.docker.startContainer(id);
  } catch (e) {
    if (dockerStatus(e) !== 304) throw translateDockerError(e, `start container ${id}`);
  }
  const info = await call(`inspect container ${id}`, () => ctx.docker.inspectContainer(id));
  const logPath = info.Config.Labels[LABEL_LOG_PATH];
  // the CRI log file is ours to write (Docker's log stream copied in CRI format); its first open before start returns
  if (logPath !== undefined) await ctx.logs.ensure(id, logPath).opened;
}

/** ReopenContainerLog: a running container's CRI log file is closed and opened again (log rotation). */
export async function reopenContainerLog(ctx: DockerContext, id: string): Promise<void> {
  const info = await inspectOwn(ctx, id);
  if (!info.State.Running) throw new CriError('FailedPrecondition', `container ${id} is not running`);
  const logPath = info.Config.Labels[LABEL_LOG_PATH];
  if (logPath !== undefined) await ctx.logs.reopen(id, logPath);
}

/** After a restart: the CRI log copies of this scope's containers go on where their files end. */
export async function resumeLogCopies(ctx: DockerContext): Promise<void> {
  const rows = await call('list containers', () => ctx.docker.listContainers({ all: true, filters: { label: labelFilters(TYPE_CONTAINER, ctx.scope) } }));
  for (const r of rows) {
    const logPath = r.Labels?.[LABEL_LOG_PATH];
    if (logPath !== undefined) await ctx.logs.resume(r.Id, logPath, r.State === 'running');
  }
}

/** SIGTERM (or the image STOPSIGNAL), SIGKILL after `timeoutSeconds`. Idempotent. */
export async function stopContainer(ctx: DockerContext, id: string, timeoutSeconds: number): Promise<void> {
  await dockerIdempotent(`stop container ${id}`, () => ctx.docker.stopContainer(id, { t: Math.max(0, timeoutSeconds) }));
}

/** Idempotent; a running container is killed first. */
export async function removeContainer(ctx: DockerContext, id: string): Promise<void> {
  await ctx.logs.stop(id);
  await dockerIdempotent(`remove container ${id}`, () => ctx.docker.removeContainer(id, { force: true, v: true }));
}

export async function listContainers(ctx: DockerContext, filter: ContainerFilter = {}): Promise<Container[]> {
  const extra = { ...filter.labelSelector, ...(filter.podSandboxId === undefined ? {} : { [LABEL_SANDBOX_ID]: filter.podSandboxId }) };
  const rows = await call('list containers', () => ctx.docker.listContainers({
    all: true,
    filters: { label: labelFilters(TYPE_CONTAINER, ctx.scope, extra), ...(filter.id === undefined ? {} : { id: [filter.id] }) },
  }));
  return rows.map(containerFromListInfo).filter((c) => filter.state === undefined || c.state === filter.state);
}

async function inspectOwn(ctx: DockerContext, id: string): Promise<ContainerInspect> {
  let info;
  try {
    info = await ctx.docker.inspectContainer(id);
  } catch (e) {
    if (dockerStatus(e) === 404) throw new CriError('NotFound', `container ${id} not found`, { cause: e });
    throw translateDockerError(e, `inspect container ${id}`);
  }
  if (info.Config.Labels[LABEL_TYPE] !== TYPE_CONTAINER) throw new CriError('NotFound', `container ${id} not found`);
  return info;
}

/** An exited container is reported so once its last lines are in its CRI log file (as containerd waits for its IO). */
export async function containerStatus(ctx: DockerContext, id: string): Promise<ContainerStatus> {
  const info = await inspectOwn(ctx, id);
  if (!info.State.Running && info.State.StartedAt !== undefined && !info.State.StartedAt.startsWith('0001-')) {
    await ctx.logs.drained(id);
  }
  return statusFromInspect(info);
}
