/**
 * Test fixture for docker-runtime.int.test.ts: a tiny busybox image pair imported into Docker
 * under a unique repository (tk-test-<rand>/…), a unique bridge, subnet and CNI network name, and
 * a cleanup that removes only what this run created (containers by scope label, images, bridge,
 * our iptables rules in CNI-FORWARD/CNI-ADMIN, host-local data, netns pins).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderConflist } from '../../cri/cni/conflist.js';
import { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import type { ContainerConfig, PodSandboxConfig } from '../../cri/types.js';

const run = promisify(execFile);
export const sh = async (cmd: string, ...args: string[]): Promise<string> => (await run(cmd, args, { encoding: 'utf8' })).stdout.trim();

export const PAUSE_CMD = ['sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait; done"];
export const INDEX_HTML = 'hello from tk-test busybox\n';

/** Why the Docker integration tests cannot run here, or undefined when they can. */
export async function dockerSkipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root (CNI, bind mounts)';
  if (!existsSync('/usr/bin/busybox')) return 'busybox-static is not installed (/usr/bin/busybox)';
  if (!existsSync('/usr/lib/cni/bridge')) return 'CNI plugins are not installed (/usr/lib/cni)';
  try {
    await sh('docker', 'version', '--format', '{{.Server.Version}}');
    return undefined;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    return `docker is not reachable: ${(e.stderr?.trim() || e.message).split('\n')[0]}`;
  }
}

export interface Fixture {
  id: string;
  scope: string;
  networkName: string;
  bridge: string;
  subnet: string;
  prefix: string;
  dir: string;
  stateDir: string;
  dataDir: string;
  pauseImage: string;
  appImage: string;
}

export async function createFixture(): Promise<Fixture> {
  const id = randomBytes(3).toString('hex');
  const third = 1 + (randomBytes(1)[0] ?? 0) % 254;
  const dir = await mkdtemp(join(tmpdir(), `tk-test-${id}-`));
  const fx: Fixture = {
    id, scope: `tk-test-${id}`, networkName: `tk-test-${id}`, bridge: `tk${id}`,
    subnet: `10.250.${third}.0/24`, prefix: `10.250.${third}.`, dir,
    stateDir: join(dir, 'state'), dataDir: join(dir, 'cni-networks'),
    pauseImage: `tk-test-${id}/pause:1`, appImage: `tk-test-${id}/busybox:1`,
  };
  await importImages(fx);
  return fx;
}

async function importImages(fx: Fixture): Promise<void> {
  const root = join(fx.dir, 'rootfs');
  for (const d of ['bin', 'etc', 'tmp', 'www', 'proc', 'sys', 'dev', 'root']) await mkdir(join(root, d), { recursive: true });
  await copyFile('/usr/bin/busybox', join(root, 'bin/busybox'));
  const applets = (await sh('/usr/bin/busybox', '--list')).split('\n').filter((a) => a !== '' && a !== 'busybox');
  await Promise.all(applets.map((a) => symlink('busybox', join(root, 'bin', a))));
  await writeFile(join(root, 'www/index.html'), INDEX_HTML);
  await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(join(root, 'etc/group'), 'root:x:0:\n');
  const tar = join(fx.dir, 'rootfs.tar');
  await sh('tar', '-C', root, '-cf', tar, '.');
  await sh('docker', 'import', '-c', 'ENV PATH=/bin', '-c', `CMD ${JSON.stringify(PAUSE_CMD)}`, tar, fx.pauseImage);
  await sh('docker', 'import', '-c', 'ENV PATH=/bin', '-c', 'CMD ["sh"]', tar, fx.appImage);
}

/** Removes everything this run created; never touches other objects. */
export async function cleanupFixture(fx: Fixture): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    try { await fn(); } catch (e) { problems.push(`${what}: ${(e as Error).message.split('\n')[0]}`); }
  };
  const ids = (await sh('docker', 'ps', '-aq', '--filter', `label=io.tinykube.runtime-scope=${fx.scope}`)).split('\n').filter(Boolean);
  if (ids.length > 0) await attempt('remove containers', () => sh('docker', 'rm', '-f', '-v', ...ids));
  await attempt('remove images', () => sh('docker', 'rmi', '-f', fx.pauseImage, fx.appImage));
  const netnsDir = join(fx.stateDir, 'netns');
  for (const f of existsSync(netnsDir) ? await readdir(netnsDir) : []) {
    await sh('umount', join(netnsDir, f)).catch(() => undefined);
  }
  if (existsSync(`/sys/class/net/${fx.bridge}`)) await attempt('delete bridge', () => sh('ip', 'link', 'del', fx.bridge));
  await attempt('iptables', () => removeOurRules(fx));
  await attempt('remove dir', () => rm(fx.dir, { recursive: true, force: true }));
  return problems;
}

/** Deletes rules in CNI-FORWARD / CNI-ADMIN that mention our subnet (DEL normally removed them). */
async function removeOurRules(fx: Fixture): Promise<void> {
  const save = await sh('iptables-save', '-t', 'filter').catch(() => '');
  for (const line of save.split('\n')) {
    if (!/^-A CNI-(FORWARD|ADMIN) /.test(line) || !line.includes(fx.prefix)) continue;
    await sh('iptables', '-t', 'filter', '-D', ...splitRule(line.slice(3)));
  }
}

function splitRule(rule: string): string[] {
  return (rule.match(/"[^"]*"|\S+/g) ?? []).map((t) => t.replace(/^"(.*)"$/, '$1'));
}

/** Files of host-local allocations (one per IP) for our network. */
export async function allocatedIps(fx: Fixture): Promise<string[]> {
  const d = join(fx.dataDir, fx.networkName);
  if (!existsSync(d)) return [];
  return (await readdir(d)).filter((f) => f.startsWith(fx.prefix));
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** A runtime on the fixture's network, state dir, pause image and scope (a new instance each call). */
export function runtimeFor(fx: Fixture): DockerRuntime {
  return new DockerRuntime({
    cni: { conflist: renderConflist({ name: fx.networkName, bridge: fx.bridge, subnet: fx.subnet, dataDir: fx.dataDir }) },
    stateDir: fx.stateDir, pauseImage: fx.pauseImage, scope: fx.scope,
  });
}

export function podConfigFor(fx: Fixture, name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'default', uid: `${fx.id}-${name}`, attempt: 0 },
    hostname: name, logDirectory: join(fx.dir, 'logs', name),
    labels: { 'tk-test': fx.id, app: name }, annotations: { 'tk-test/note': 'hi' }, ...extra,
  };
}

export function appConfigFor(fx: Fixture, name: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image: fx.appImage }, logPath: `${name}/0.log`, ...extra };
}
