/**
 * App containers on Docker. Create joins the sandbox's namespaces; start links the Docker log
 * file at the CRI log path (best effort, as cri-dockerd does); stop and remove are idempotent.
 */
import { mkdir, symlink, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CriError } from '../errors.js';
import type { Container, ContainerConfig, ContainerFilter, ContainerStatus, PodSandboxConfig } from '../types.js';
import { containerCreateOptions } from './container-config.js';
import { containerFromListInfo, statusFromInspect } from './container-status.js';
import type { DockerContext } from './context.js';
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
  if (logPath !== undefined && info.LogPath !== '') {
    // the link is for people and tools reading the node's log dir; logs are served from Docker itself
    await linkLog(info.LogPath, logPath).catch((err: unknown) => ctx.log?.debug({ err, containerId: id.slice(0, 12), logPath }, 'Failed to link container log'));
  }
}

async function linkLog(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await unlink(path).catch(() => undefined); // absent already: fine (symlink below fails on anything else)
  await symlink(target, path);
}

/** SIGTERM (or the image STOPSIGNAL), SIGKILL after `timeoutSeconds`. Idempotent. */
export async function stopContainer(ctx: DockerContext, id: string, timeoutSeconds: number): Promise<void> {
  await dockerIdempotent(`stop container ${id}`, () => ctx.docker.stopContainer(id, { t: Math.max(0, timeoutSeconds) }));
}

/** Idempotent; a running container is killed first. */
export async function removeContainer(ctx: DockerContext, id: string): Promise<void> {
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

export async function containerStatus(ctx: DockerContext, id: string): Promise<ContainerStatus> {
  let info;
  try {
    info = await ctx.docker.inspectContainer(id);
  } catch (e) {
    if (dockerStatus(e) === 404) throw new CriError('NotFound', `container ${id} not found`, { cause: e });
    throw translateDockerError(e, `inspect container ${id}`);
  }
  if (info.Config.Labels[LABEL_TYPE] !== TYPE_CONTAINER) throw new CriError('NotFound', `container ${id} not found`);
  return statusFromInspect(info);
}
