/**
 * DockerRuntime against the real dockerd and Debian's CNI plugins: sandboxes on a unique bridge
 * and subnet (10.250.<rand>.0/24), app containers joined to them, exec/logs/port-forward, limits,
 * OOM, idempotent stop/remove, and a restarted runtime rebuilding its view from Docker + stateDir.
 * Everything created carries the scope label tk-test-<rand> and is removed in afterAll.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../cri/docker/docker-runtime.js';
import { isCriError } from '../../cri/errors.js';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig, RuntimeEvent } from '../../cri/types.js';
import {
  allocatedIps, appConfigFor, cleanupFixture, createFixture, dockerSkipReason, INDEX_HTML, median, podConfigFor, runtimeFor, sh,
  type Fixture,
} from './docker-runtime.fixture.js';
import { eventually } from '../helpers/eventually.js';

const skipReason = await dockerSkipReason();
if (skipReason !== undefined) console.warn(`docker-runtime.int.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('DockerRuntime (real Docker + CNI)', () => {
  let fx: Fixture;
  let rt: DockerRuntime;
  let sandboxId = '';
  let sandboxCfg: PodSandboxConfig;
  let podIp = '';
  let webId = '';

  const newRuntime = (): DockerRuntime => runtimeFor(fx);
  const podConfig = (name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig => podConfigFor(fx, name, extra);
  const appConfig = (name: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => appConfigFor(fx, name, extra);
  const runApp = async (sb: string, cfg: ContainerConfig, sbCfg: PodSandboxConfig = sandboxCfg): Promise<string> => {
    const id = await rt.createContainer(sb, cfg, sbCfg);
    await rt.startContainer(id);
    return id;
  };
  const exited = (id: string): Promise<ContainerStatus> => eventually(async () => {
    const s = await rt.containerStatus(id);
    expect(s.state, `container ${id}`).toBe('CONTAINER_EXITED');
    return s;
  }, { timeoutMs: 20_000, intervalMs: 50 });
  const logsOf = async (id: string): Promise<string> => {
    let out = '';
    for await (const l of rt.containerLogs(id, { follow: false }, new AbortController().signal)) out += `${l.line.toString()}\n`;
    return out;
  };
  const get = (ip: string): Promise<string> => eventually(async () => {
    const res = await fetch(`http://${ip}:80/`, { signal: AbortSignal.timeout(2000) });
    return res.text();
  }, { timeoutMs: 5000, intervalMs: 50 });

  beforeAll(async () => {
    fx = await createFixture();
    rt = newRuntime();
    console.log(`fixture: scope=${fx.scope} bridge=${fx.bridge} subnet=${fx.subnet} dir=${fx.dir}`);
  }, 60_000);

  afterAll(async () => {
    if (fx === undefined) return;
    const problems = await cleanupFixture(fx);
    if (problems.length > 0) console.warn(`cleanup problems: ${problems.join('; ')}`);
  }, 60_000);

  it('reports its version and answers image status', async () => {
    const v = await rt.version();
    expect(v.runtimeName).toBe('docker');
    expect(v.runtimeApiVersion).toBe('v1');
    expect(v.runtimeVersion).not.toBe('');
    expect((await rt.imageStatus({ image: fx.appImage }))?.id).toMatch(/^sha256:/);
    expect(await rt.imageStatus({ image: `${fx.scope}/absent:1` })).toBeUndefined();
    await rt.removeImage({ image: `${fx.scope}/absent:1` });
    expect((await rt.listImages({ image: { image: fx.pauseImage } }))[0]?.repoTags).toContain(fx.pauseImage);
  });

  it('runs a sandbox with an IP from the subnet; an httpd in it answers on podIP:80', async () => {
    sandboxCfg = podConfig('web', { dnsConfig: { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] } });
    sandboxId = await rt.runPodSandbox(sandboxCfg);
    const st = await rt.podSandboxStatus(sandboxId);
    expect(st.state).toBe('SANDBOX_READY');
    expect(st.metadata).toEqual(sandboxCfg.metadata);
    expect(st.labels).toMatchObject({ 'tk-test': fx.id, app: 'web' });
    expect(st.annotations).toEqual({ 'tk-test/note': 'hi' });
    podIp = st.network?.ip ?? '';
    expect(podIp.startsWith(fx.prefix)).toBe(true);
    expect(await allocatedIps(fx)).toContain(podIp);

    webId = await runApp(sandboxId, appConfig('httpd', { command: ['httpd', '-f', '-p', '80', '-h', '/www'] }));
    expect(await get(podIp)).toBe(INDEX_HTML);
    const hn = await rt.execSync(webId, ['hostname'], 5);
    expect(hn.stdout.toString().trim()).toBe('web');
    const resolv = await rt.execSync(webId, ['cat', '/etc/resolv.conf'], 5);
    expect(resolv.stdout.toString()).toBe('nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:5\n');
    const list = await rt.listContainers({ podSandboxId: sandboxId, state: 'CONTAINER_RUNNING' });
    expect(list.map((c) => c.id)).toEqual([webId]);
    expect(list[0]?.metadata).toEqual({ name: 'httpd', attempt: 0 });
  });

  it('honours env, command, args and workingDir', async () => {
    const a = await runApp(sandboxId, appConfig('env', {
      command: ['sh', '-c'], args: ['echo "$FOO $0 $(pwd)"', 'zero'], workingDir: '/tmp', envs: [{ key: 'FOO', value: 'bar baz' }],
    }));
    expect((await exited(a)).reason).toBe('Completed');
    expect(await logsOf(a)).toBe('bar baz zero /tmp\n');
    const b = await runApp(sandboxId, appConfig('args', { args: ['echo', 'only-args'] }));
    await exited(b);
    expect(await logsOf(b)).toBe('only-args\n');
    const c = await runApp(sandboxId, appConfig('fail', { command: ['sh', '-c', 'exit 3'] }));
    const st = await exited(c);
    expect([st.exitCode, st.reason]).toEqual([3, 'Error']);
    expect(st.finishedAt).toBeGreaterThanOrEqual(st.startedAt);
    for (const id of [a, b, c]) await rt.removeContainer(id);
  });

  it('execSync returns exit codes and output, and times out with DeadlineExceeded', async () => {
    const r = await rt.execSync(webId, ['sh', '-c', 'echo out; echo err >&2; exit 3'], 5);
    expect([r.exitCode, r.stdout.toString(), r.stderr.toString()]).toEqual([3, 'out\n', 'err\n']);
    const t0 = Date.now();
    await expect(rt.execSync(webId, ['sleep', '5'], 1)).rejects.toSatisfy((e) => isCriError(e, 'DeadlineExceeded'));
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('applies the memory limit and reports OOMKilled', async () => {
    const limited = await runApp(sandboxId, appConfig('limited', {
      command: ['sleep', '3600'], linux: { resources: { memoryLimitInBytes: 64 * 1024 * 1024, cpuShares: 256, oomScoreAdj: -998 } },
    }));
    const r = await rt.execSync(limited, ['cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes'], 5);
    expect(r.stdout.toString().trim()).toBe(String(64 * 1024 * 1024));
    await rt.removeContainer(limited);
    const oom = await runApp(sandboxId, appConfig('oom', {
      command: ['sh', '-c', 'head -c 100m /dev/zero | tail'], linux: { resources: { memoryLimitInBytes: 20 * 1024 * 1024 } },
    }));
    const st = await exited(oom);
    expect(st.reason).toBe('OOMKilled');
    expect(st.exitCode).toBe(137);
    await rt.removeContainer(oom);
  });

  it('keeps the pod IP when a container is replaced, and sends runtime events', async () => {
    const events: RuntimeEvent[] = [];
    const ac = new AbortController();
    const watching = (async () => { for await (const e of rt.events(ac.signal)) events.push(e); })();
    await new Promise((r) => setTimeout(r, 200));
    await rt.stopContainer(webId, 1);
    await rt.stopContainer(webId, 1);
    await rt.removeContainer(webId);
    webId = await runApp(sandboxId, appConfig('httpd', { metadata: { name: 'httpd', attempt: 1 }, command: ['httpd', '-f', '-p', '80', '-h', '/www'] }));
    expect(await get(podIp)).toBe(INDEX_HTML);
    expect((await rt.podSandboxStatus(sandboxId)).network?.ip).toBe(podIp);
    await eventually(() => { expect(events.some((e) => e.containerId === webId && e.type === 'started'), 'start event').toBe(true); }, { timeoutMs: 3000, intervalMs: 50 });
    ac.abort();
    await watching;
    expect(events.find((e) => e.containerId === webId)).toMatchObject({ podSandboxId: sandboxId, podUid: sandboxCfg.metadata.uid });
    expect(events.some((e) => e.type === 'stopped')).toBe(true);
  });

  it('a restarted runtime lists the same sandboxes and containers and knows the IP', async () => {
    const fresh = newRuntime();
    expect((await fresh.listPodSandbox({ labelSelector: { app: 'web' } })).map((s) => s.id)).toEqual([sandboxId]);
    expect((await fresh.listContainers({ podSandboxId: sandboxId })).map((c) => c.id)).toEqual([webId]);
    expect((await fresh.podSandboxStatus(sandboxId)).network?.ip).toBe(podIp);
    const c = await fresh.containerStatus(webId);
    expect([c.state, c.metadata.attempt, c.podSandboxId]).toEqual(['CONTAINER_RUNNING', 1, sandboxId]);
    expect(c.logPath).toBe(join(fx.dir, 'logs', 'web', 'httpd/0.log'));
  });

  it('stop and remove are idempotent and release the IP', async () => {
    await rt.stopPodSandbox(sandboxId);
    await rt.stopPodSandbox(sandboxId);
    const st = await rt.podSandboxStatus(sandboxId);
    expect(st.state).toBe('SANDBOX_NOTREADY');
    expect(st.network).toBeUndefined();
    expect(await allocatedIps(fx)).not.toContain(podIp);
    expect((await rt.containerStatus(webId)).state).toBe('CONTAINER_EXITED');
    await rt.removePodSandbox(sandboxId);
    await rt.removePodSandbox(sandboxId);
    await expect(rt.podSandboxStatus(sandboxId)).rejects.toSatisfy((e) => isCriError(e, 'NotFound'));
    await expect(rt.containerStatus(webId)).rejects.toSatisfy((e) => isCriError(e, 'NotFound'));
    expect(await rt.listPodSandbox()).toEqual([]);
    await rt.stopContainer(webId, 0);
    await rt.removeContainer(webId);
  });

  it('releases the IP when the netns pin was lost (agent restarted in another mount namespace)', async () => {
    for (const killPause of [false, true]) {
      const id = await rt.runPodSandbox(podConfig(`lostpin${String(killPause)}`));
      const ip = (await rt.podSandboxStatus(id)).network?.ip ?? '';
      await sh('umount', join(fx.stateDir, 'netns', id));
      if (killPause) await sh('docker', 'kill', id);
      await rt.stopPodSandbox(id);
      expect(await allocatedIps(fx)).not.toContain(ip);
      await rt.removePodSandbox(id);
    }
  });

  it('runs a hostNetwork sandbox without CNI', async () => {
    const cfg = podConfig('hostnet', { linux: { hostNetwork: true } });
    const id = await rt.runPodSandbox(cfg);
    expect((await rt.podSandboxStatus(id)).network).toBeUndefined();
    const c = await runApp(id, appConfig('sh', { command: ['sleep', '3600'] }), cfg);
    const links = await rt.execSync(c, ['ls', '/sys/class/net'], 5);
    expect(links.stdout.toString()).toContain(fx.bridge);
    await rt.removePodSandbox(id);
    expect(await rt.listContainers({ podSandboxId: id })).toEqual([]);
  });

  it('measures sandbox + container start (10 runs)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const cfg = podConfig(`bench${i}`);
      const t0 = performance.now();
      const sb = await rt.runPodSandbox(cfg);
      await runApp(sb, appConfig('httpd', { command: ['httpd', '-f', '-p', '80', '-h', '/www'] }), cfg);
      times.push(performance.now() - t0);
      await rt.stopPodSandbox(sb);
      await rt.removePodSandbox(sb);
    }
    const raw: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      for (let j = 0; j < 2; j++) await sh('docker', 'run', '-d', '--network', 'none', '--label', `io.tinykube.runtime-scope=${fx.scope}`, fx.appImage, 'sleep', '60');
      raw.push(performance.now() - t0);
    }
    await sh('sh', '-c', `docker rm -f $(docker ps -aq --filter label=io.tinykube.runtime-scope=${fx.scope})`);
    console.log(`sandbox+container start: median ${median(times).toFixed(1)} ms, all ${times.map((t) => t.toFixed(0)).join(' ')}; `
      + `raw docker run -d ×2: median ${median(raw).toFixed(1)} ms`);
    expect(await allocatedIps(fx)).toEqual([]);
    expect(await sh('docker', 'ps', '-aq', '--filter', `label=io.tinykube.runtime-scope=${fx.scope}`)).toBe('');
  }, 120_000);
});
