/**
 * RemoteRuntime beyond the contract suite, on a private containerd: the RuntimeExtrasService calls
 * crictl uses (status, verbose inspection, image fs, stats, resource updates, log reopening) and
 * the streaming calls through the URL the runtime returns (exec; port-forward into a host-network
 * sandbox to a busybox httpd on a free loopback port). One sandbox, host network, logs under a
 * temp dir; afterAll stops containerd (its pods, dirs and bridge go with it) and removes the dir.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteRuntime } from '../../cri/remote/remote-runtime.js';
import type { PodSandboxConfig } from '../../cri/types.js';
import { waitFor } from '../conformance/runtime-cases.js';
import { startPrivateContainerd, TEST_IMAGE_FILES, type PrivateContainerd } from '../helpers/private-containerd.js';
import { sh } from './docker-runtime.fixture.js';

async function skipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root (containerd, runc, mounts)';
  if (!(await sh('containerd', '--version').then(() => true, () => false))) return 'containerd is not installed (scripts/lib.sh ensure_containerd)';
  const missing = TEST_IMAGE_FILES.filter((f) => !existsSync(f));
  return missing.length > 0 ? `the test image archives are missing: ${missing.join(', ')} (tinykube image build-test)` : undefined;
}

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const a = s.address();
    s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error('no port'))));
  });
});

const reason = await skipReason();
if (reason !== undefined) console.warn(`containerd-remote-extras.int.test.ts skipped: ${reason}`);

describe.skipIf(reason !== undefined)('RemoteRuntime extras and streaming on a private containerd', () => {
  const name = `tk-rx-${randomBytes(4).toString('hex')}`;
  let cd: PrivateContainerd | undefined;
  let rt: RemoteRuntime;
  let logDir = '';
  let sandboxId = '';
  let ticker = '';
  let web = '';
  let port = 0;

  beforeAll(async () => {
    cd = await startPrivateContainerd({ name });
    rt = new RemoteRuntime({ socketPath: cd.address });
    logDir = await mkdtemp(join(tmpdir(), `${name}-`));
    port = await freePort();
    console.log(`remote extras: containerd ${name}, logs in ${logDir}, httpd on 127.0.0.1:${port}`);
    const cfg: PodSandboxConfig = {
      metadata: { name: 'extras', namespace: 'test', uid: name, attempt: 0 }, logDirectory: logDir,
      // a cgroup parent of our own: containerd measures sandbox stats from it
      linux: { hostNetwork: true, cgroupParent: `/${name}` },
    };
    sandboxId = await rt.runPodSandbox(cfg);
    const image = { image: 'tinykube/busybox:1' };
    ticker = await rt.createContainer(sandboxId, {
      metadata: { name: 'ticker', attempt: 0 }, image, logPath: 'ticker.log',
      command: ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done'],
    }, cfg);
    web = await rt.createContainer(sandboxId, {
      metadata: { name: 'web', attempt: 0 }, image, logPath: 'web.log',
      command: ['sh', '-c', `mkdir -p /tmp/www && echo hello from pf > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:${port} -h /tmp/www`],
    }, cfg);
    await rt.startContainer(ticker);
    await rt.startContainer(web);
  }, 90_000);

  afterAll(async () => {
    rt?.close();
    await cd?.stop();
    // RemovePodSandbox leaves the pod-level cgroup parent behind (cri-notes G3)
    for (const c of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) await rmdir(join('/sys/fs/cgroup', c, name)).catch(() => undefined);
    if (logDir !== '') await rm(logDir, { recursive: true, force: true });
  }, 60_000);

  it('status: RuntimeReady, with the runtime config in verbose info', async () => {
    const st = await rt.status({ verbose: true });
    expect(st.conditions.find((c) => c.type === 'RuntimeReady')?.status).toBe(true);
    expect(Object.keys(st.info).length).toBeGreaterThan(0);
    expect((await rt.status()).info).toEqual({});
  });

  it('verbose sandbox, container and image status carry runtime info', async () => {
    const sb = await rt.podSandboxStatusVerbose(sandboxId);
    expect(sb.status.id).toBe(sandboxId);
    expect(Object.keys(sb.info).length).toBeGreaterThan(0);
    const c = await rt.containerStatusVerbose(ticker);
    expect(c.status).toMatchObject({ id: ticker, podSandboxId: sandboxId, state: 'CONTAINER_RUNNING' });
    expect(JSON.stringify(c.info)).toContain(sandboxId);
    const img = await rt.imageStatusVerbose({ image: 'tinykube/busybox:1' });
    expect(img.image?.repoTags).toContain('docker.io/tinykube/busybox:1');
    expect((await rt.imageStatusVerbose({ image: `${name}/absent:1` })).image).toBeUndefined();
  });

  it('imageFsInfo names the image filesystem and its usage', async () => {
    const fs = await rt.imageFsInfo();
    expect(fs.length).toBeGreaterThan(0);
    expect(fs[0]?.mountpoint).toContain(cd?.root ?? '?');
    expect(fs[0]?.timestamp).toBeGreaterThan(0); // usage is sampled by containerd in the background: 0 until its first pass
  });

  it('container and sandbox stats', async () => {
    const s = await waitFor('cpu stats', async () => {
      const st = await rt.containerStats(ticker);
      return (st.cpu?.usageCoreNanoSeconds ?? 0) > 0 ? st : undefined;
    });
    expect(s).toMatchObject({ id: ticker, metadata: { name: 'ticker' } });
    expect(s.memory?.workingSetBytes).toBeGreaterThan(0);
    expect((await rt.listContainerStats({ podSandboxId: sandboxId })).map((x) => x.id).sort()).toEqual([ticker, web].sort());
    const ps = await rt.podSandboxStats(sandboxId);
    expect(ps.id).toBe(sandboxId);
    expect((await rt.listPodSandboxStats({ id: sandboxId })).map((x) => x.id)).toEqual([sandboxId]);
  });

  it('updateContainerResources changes the cgroup the container sees', async () => {
    await rt.updateContainerResources(ticker, { cpuShares: 333, memoryLimitInBytes: 96 * 1024 * 1024 });
    const r = await rt.execSync(ticker, ['cat', '/sys/fs/cgroup/cpu/cpu.shares', '/sys/fs/cgroup/memory/memory.limit_in_bytes'], 10);
    expect(r.stdout.toString().split('\n').slice(0, 2)).toEqual(['333', String(96 * 1024 * 1024)]);
  });

  it('reopenContainerLog: after a rename the runtime writes a fresh log file', async () => {
    const path = join(logDir, 'ticker.log');
    await waitFor('ticks in the log', async () => ((await readFile(path, 'utf8')).includes('tick') ? true : undefined));
    await rename(path, `${path}.1`);
    await rt.reopenContainerLog(ticker);
    const fresh = await waitFor('ticks in the new log', async () => {
      const text = await readFile(path, 'utf8').catch(() => '');
      return /stdout F tick \d+/.test(text) ? text : undefined;
    });
    expect(fresh).not.toContain('tick 1\n');
  });

  it('exec through the streaming URL: output and exit code', async () => {
    const s = await rt.exec(ticker, { cmd: ['sh', '-c', 'echo from-exec; exit 7'], tty: false, stdin: false, stdout: true, stderr: true });
    const chunks: Buffer[] = [];
    s.stdout.on('data', (b: Buffer) => chunks.push(b));
    s.stderr?.resume();
    expect(await s.exitCode).toBe(7);
    expect(Buffer.concat(chunks).toString()).toBe('from-exec\n');
  });

  it('portForward reaches a port in the sandbox network', async () => {
    await waitFor('httpd running', async () => ((await rt.containerStatus(web)).state === 'CONTAINER_RUNNING' ? true : undefined));
    const body = await waitFor('httpd through port-forward', async () => {
      const conn = await rt.portForward(sandboxId, port);
      const chunks: Buffer[] = [];
      conn.on('data', (b: Buffer) => chunks.push(b));
      const ended = new Promise<void>((resolve) => { conn.on('end', resolve); conn.on('close', resolve); conn.on('error', () => resolve()); });
      conn.write('GET /index.html HTTP/1.0\r\n\r\n');
      await Promise.race([ended, new Promise((r) => setTimeout(r, 3000))]);
      conn.destroy();
      const text = Buffer.concat(chunks).toString();
      return text.includes('200 OK') ? text : undefined;
    }, 15_000);
    expect(body).toContain('hello from pf');
  });
});
