/**
 * Pod sandboxes on Docker: a pause container (NetworkMode none, IpcMode shareable) whose netns is
 * pinned to a file and wired by CNI; hostNetwork sandboxes use NetworkMode host and no CNI.
 * Stop and remove are idempotent; CNI DEL works after the pause container is gone (the pin).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniPortMapping } from '../cni/types.js';
import { firstIPv4 } from '../cni/types.js';
import { CriError } from '../errors.js';
import type { PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus, PortMapping } from '../types.js';
import { sandboxCreateOptions } from './container-config.js';
import { sandboxFromInspect, sandboxFromListInfo } from './container-status.js';
import type { DockerContext } from './context.js';
import { docker as call, dockerIdempotent, dockerStatus, translateDockerError } from './errors.js';
import { ensureImage } from './image.js';
import { LABEL_SANDBOX_ID, LABEL_TYPE, labelFilters, TYPE_CONTAINER, TYPE_SANDBOX } from './labels.js';
import { isPinned, pinNetns, unpinNetns } from './netns-pin.js';
import type { SandboxRecord } from './sandbox-store.js';

/** Seconds the pause container gets to exit on SIGTERM (cri-dockerd uses 10). */
const SANDBOX_STOP_TIMEOUT_S = 10;

export async function runPodSandbox(ctx: DockerContext, config: PodSandboxConfig): Promise<string> {
  const started = Date.now();
  const hostNetwork = config.linux?.hostNetwork === true;
  await ensureImage(ctx.docker, ctx.pauseImage);
  const opts = sandboxCreateOptions(config, ctx.pauseImage, ctx.scope);
  const id = await call(`create sandbox ${opts.name ?? ''}`, () => ctx.docker.createContainer(opts));
  try {
    await call(`start sandbox ${id}`, () => ctx.docker.startContainer(id));
    const info = await call(`inspect sandbox ${id}`, () => ctx.docker.inspectContainer(id));
    if (config.dnsConfig !== undefined && info.ResolvConfPath !== '') await writeResolvConf(info.ResolvConfPath, config.dnsConfig);
    if (hostNetwork) {
      await ctx.store.put({ id, hostNetwork, networkReady: true });
    } else {
      await setUpNetwork(ctx, id, info.State.Pid, config.portMappings ?? []);
    }
  } catch (e) {
    await teardown(ctx, id).catch((err: unknown) => ctx.log?.debug({ err, podSandboxId: id }, 'Failed to tear down sandbox after a failed start'));
    throw e;
  }
  ctx.log?.debug({ podSandboxId: id, pod: `${config.metadata.namespace}/${config.metadata.name}`, elapsedMs: Date.now() - started }, 'sandbox running');
  return id;
}

async function setUpNetwork(ctx: DockerContext, id: string, pid: number, ports: PortMapping[]): Promise<void> {
  const netnsPath = join(ctx.netnsDir, id);
  const portMappings = toCniPortMappings(ports);
  await pinNetns(pid, netnsPath);
  // Recorded before ADD, so a crash during ADD still lets remove run DEL.
  const rec: SandboxRecord = { id, hostNetwork: false, netnsPath, portMappings, networkReady: true };
  await ctx.store.put(rec);
  const result = await ctx.cni.add(id, netnsPath, { portMappings });
  const ip = firstIPv4(result);
  await ctx.store.put({ ...rec, cniResult: result, ...(ip === undefined ? {} : { ip }) });
}

/** Stops every container of the sandbox (no grace: the agent already gave it), releases the IP, stops pause. */
export async function stopPodSandbox(ctx: DockerContext, id: string): Promise<void> {
  for (const c of await containersOf(ctx, id)) {
    await dockerIdempotent(`stop container ${c}`, () => ctx.docker.stopContainer(c, { t: 0 }));
  }
  await releaseNetwork(ctx, id);
  await dockerIdempotent(`stop sandbox ${id}`, () => ctx.docker.stopContainer(id, { t: SANDBOX_STOP_TIMEOUT_S }));
}

/** Removes containers, the pause container, the netns pin and the state. Idempotent. */
export async function removePodSandbox(ctx: DockerContext, id: string): Promise<void> {
  for (const c of await containersOf(ctx, id)) {
    await dockerIdempotent(`remove container ${c}`, () => ctx.docker.removeContainer(c, { force: true, v: true }));
  }
  await teardown(ctx, id);
}

async function teardown(ctx: DockerContext, id: string): Promise<void> {
  await releaseNetwork(ctx, id);
  await dockerIdempotent(`remove sandbox ${id}`, () => ctx.docker.removeContainer(id, { force: true, v: true }));
  await unpinNetns(join(ctx.netnsDir, id));
  await ctx.store.delete(id);
}

/** CNI DEL once; later calls find networkReady false and do nothing. */
async function releaseNetwork(ctx: DockerContext, id: string): Promise<void> {
  const rec = await ctx.store.get(id);
  if (rec === undefined || rec.hostNetwork || !rec.networkReady) return;
  await ctx.cni.del(id, await netnsForDel(ctx, id, rec), rec.cniResult, { portMappings: rec.portMappings ?? [] });
  const { ip: _ip, ...rest } = rec;
  await ctx.store.put({ ...rest, networkReady: false });
}

/**
 * The netns to hand CNI DEL: the pin while it is live, else the running pause process's netns,
 * else "" (plugins then release IPs and rules only; the veth died with the namespace).
 */
async function netnsForDel(ctx: DockerContext, id: string, rec: SandboxRecord): Promise<string> {
  const pin = rec.netnsPath ?? join(ctx.netnsDir, id);
  if (await isPinned(pin)) return pin;
  const info = await ctx.docker.inspectContainer(id).catch(() => undefined); // gone (or unreadable): DEL without a netns
  return info?.State.Running === true && info.State.Pid > 0 ? `/proc/${info.State.Pid}/ns/net` : '';
}

export async function podSandboxStatus(ctx: DockerContext, id: string): Promise<PodSandboxStatus> {
  let info;
  try {
    info = await ctx.docker.inspectContainer(id);
  } catch (e) {
    if (dockerStatus(e) === 404) throw new CriError('NotFound', `pod sandbox ${id} not found`, { cause: e });
    throw translateDockerError(e, `inspect sandbox ${id}`);
  }
  if (info.Config.Labels[LABEL_TYPE] !== TYPE_SANDBOX) throw new CriError('NotFound', `pod sandbox ${id} not found`);
  const rec = await ctx.store.get(info.Id);
  const ip = rec?.networkReady === true ? rec.ip : undefined;
  return { ...sandboxFromInspect(info), ...(ip === undefined ? {} : { network: { ip } }) };
}

export async function listPodSandbox(ctx: DockerContext, filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
  const rows = await call('list sandboxes', () => ctx.docker.listContainers({
    all: true,
    filters: {
      label: labelFilters(TYPE_SANDBOX, ctx.scope, filter.labelSelector),
      ...(filter.id === undefined ? {} : { id: [filter.id] }),
    },
  }));
  return rows.map(sandboxFromListInfo).filter((s) => filter.state === undefined || s.state === filter.state);
}

async function containersOf(ctx: DockerContext, sandboxId: string): Promise<string[]> {
  const rows = await call(`list containers of ${sandboxId}`, () => ctx.docker.listContainers({
    all: true,
    filters: { label: labelFilters(TYPE_CONTAINER, ctx.scope, { [LABEL_SANDBOX_ID]: sandboxId }) },
  }));
  return rows.map((r) => r.Id);
}

function toCniPortMappings(ports: PortMapping[]): CniPortMapping[] {
  return ports.filter((p) => p.hostPort !== undefined && p.hostPort > 0).map((p) => ({
    hostPort: p.hostPort ?? 0,
    containerPort: p.containerPort,
    protocol: p.protocol === 'UDP' ? 'udp' : p.protocol === 'SCTP' ? 'sctp' : 'tcp',
    ...(p.hostIp === undefined || p.hostIp === '' ? {} : { hostIP: p.hostIp }),
  }));
}

async function writeResolvConf(path: string, dns: NonNullable<PodSandboxConfig['dnsConfig']>): Promise<void> {
  const lines = [
    ...dns.servers.map((s) => `nameserver ${s}`),
    ...(dns.searches.length > 0 ? [`search ${dns.searches.join(' ')}`] : []),
    ...(dns.options.length > 0 ? [`options ${dns.options.join(' ')}`] : []),
  ];
  await writeFile(path, `${lines.join('\n')}\n`).catch((e: unknown) => {
    throw new CriError('Unknown', `write resolv.conf ${path}: ${(e as Error).message}`, { cause: e });
  });
}
