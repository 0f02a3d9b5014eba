/**
 * The CRI server over a FakeRuntime, driven by a grpc-js client built from cri/grpc/load.ts on
 * its unix socket: a round trip for each RPC family (info, sandboxes, containers, exec, streams,
 * stats, images, events), errors as gRPC codes, and the streaming URLs it hands out.
 */
import { credentials, status as Code } from '@grpc/grpc-js';
import type { Client, ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../../control/util/log.js';
import { FakeRuntime } from '../../cri/fake/fake-runtime.js';
import { loadCriServices } from '../../cri/grpc/load.js';
import { dialExec, dialPortForward } from '../../cri/streaming/client.js';
import type { ContainerStats, ContainerStatsService, StreamSession } from '../../cri/types.js';
import { startCriServer } from './cri-server.js';
import type { CriServer } from './cri-server.js';

type Callback = (err: ServiceError | null, res: Record<string, unknown>) => void;
type Methods = Record<string, (req: object, cb: Callback) => void>;

const SANDBOX = {
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web', attempt: 0 },
  hostname: 'web', labels: { app: 'web' }, annotations: { note: 'hi' }, log_directory: '/tmp/logs',
};
const container = (name: string, command: string[]) => ({ metadata: { name, attempt: 0 }, image: { image: 'busybox' }, command, labels: { c: name } });

describe('CRI server over a FakeRuntime', () => {
  let dir = '';
  let server: CriServer;
  let rt: FakeRuntime & ContainerStatsService;
  let runtimeClient: Client;
  let imageClient: Client;
  let networkReady = false;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tk-cri-server-'));
    const fake = new FakeRuntime({ images: ['busybox'] });
    const stats = async (id: string): Promise<ContainerStats> => {
      const s = await fake.containerStatus(id);
      return { id, metadata: s.metadata, labels: s.labels, cpu: { timestamp: 5, usageCoreNanoSeconds: 1234 }, memory: { timestamp: 5, workingSetBytes: 4096 } };
    };
    rt = Object.assign(fake, { containerStats: stats });
    server = await startCriServer({
      socketPath: join(dir, 'cri.sock'), runtime: rt, log: silentLogger(),
      networkStatus: () => (networkReady ? { ready: true } : { ready: false, reason: 'NetworkPluginNotReady', message: 'no podCIDR yet' }),
    });
    const { RuntimeServiceClient, ImageServiceClient } = loadCriServices();
    runtimeClient = new RuntimeServiceClient(`unix:${join(dir, 'cri.sock')}`, credentials.createInsecure());
    imageClient = new ImageServiceClient(`unix:${join(dir, 'cri.sock')}`, credentials.createInsecure());
  });
  afterAll(async () => {
    runtimeClient?.close();
    imageClient?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const invoke = (client: Client, method: string, req: object) => new Promise<Record<string, unknown>>((resolve, reject) => {
    (client as unknown as Methods)[method]!.call(client, req, (err, res) => (err ? reject(err) : resolve(res)));
  });
  const rpc = (method: string, req: object = {}) => invoke(runtimeClient, method, req);
  const img = (method: string, req: object = {}) => invoke(imageClient, method, req);
  const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (err: ServiceError) => Code[err.code]);
  const runPod = async () => (await rpc('RunPodSandbox', { config: SANDBOX })).pod_sandbox_id as string;
  const runContainer = async (sandboxId: string, name: string, command = ['sleep', '3600']) => {
    const { container_id: id } = await rpc('CreateContainer', { pod_sandbox_id: sandboxId, config: container(name, command), sandbox_config: SANDBOX });
    await rpc('StartContainer', { container_id: id });
    return id as string;
  };

  it('creates a root-only socket', async () => {
    const st = await lstat(server.socketPath);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
  });

  it('answers Version and a truthful Status', async () => {
    expect(await rpc('Version')).toEqual({ version: '0.1.0', runtime_name: 'fake', runtime_version: '0.1.0', runtime_api_version: 'v1' });
    const before = await rpc('Status', { verbose: true }) as { status: { conditions: object[] }; info: Record<string, string> };
    expect(before.status.conditions).toEqual([
      { type: 'RuntimeReady', status: true, reason: '', message: '' },
      { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'no podCIDR yet' },
    ]);
    expect(JSON.parse(before.info['version'] ?? '')).toMatchObject({ runtimeName: 'fake' });
    networkReady = true;
    const after = await rpc('Status') as { status: { conditions: { type: string; status: boolean }[] } };
    expect(after.status.conditions.map((c) => c.status)).toEqual([true, true]);
    await rpc('UpdateRuntimeConfig', { runtime_config: { network_config: { pod_cidr: '10.244.1.0/24' } } });
    expect(rt.runtimeConfig).toEqual({ networkConfig: { podCidr: '10.244.1.0/24' } });
  });

  it('runs, lists, inspects, stops and removes a pod sandbox (stop and remove idempotent)', async () => {
    const id = await runPod();
    const listed = await rpc('ListPodSandbox', { filter: { label_selector: { app: 'web' }, state: { state: 'SANDBOX_READY' } } }) as { items: { id: string }[] };
    expect(listed.items.map((i) => i.id)).toContain(id);
    const st = await rpc('PodSandboxStatus', { pod_sandbox_id: id }) as { status: Record<string, unknown> };
    expect(st.status).toMatchObject({ id, state: 'SANDBOX_READY', metadata: SANDBOX.metadata, labels: { app: 'web' }, network: { ip: expect.stringMatching(/^10\.88\.0\./) } });
    expect(Number(st.status['created_at'])).toBeGreaterThan(1e18);
    await rpc('StopPodSandbox', { pod_sandbox_id: id });
    await rpc('StopPodSandbox', { pod_sandbox_id: id });
    expect((await rpc('PodSandboxStatus', { pod_sandbox_id: id }) as { status: { state: string } }).status.state).toBe('SANDBOX_NOTREADY');
    await rpc('RemovePodSandbox', { pod_sandbox_id: id });
    await rpc('RemovePodSandbox', { pod_sandbox_id: id });
    expect(await codeOf(rpc('PodSandboxStatus', { pod_sandbox_id: id }))).toBe('NOT_FOUND');
  });

  it('creates, starts, lists, inspects, execs in, stops and removes a container', async () => {
    const sandboxId = await runPod();
    const id = await runContainer(sandboxId, 'app');
    const list = await rpc('ListContainers', { filter: { pod_sandbox_id: sandboxId, state: { state: 'CONTAINER_RUNNING' } } }) as { containers: Record<string, unknown>[] };
    expect(list.containers).toEqual([expect.objectContaining({ id, pod_sandbox_id: sandboxId, state: 'CONTAINER_RUNNING', labels: { c: 'app' } })]);
    const st = await rpc('ContainerStatus', { container_id: id }) as { status: Record<string, unknown> };
    expect(st.status).toMatchObject({ id, state: 'CONTAINER_RUNNING', metadata: { name: 'app', attempt: 0 }, image: { image: 'busybox' } });
    const exec = await rpc('ExecSync', { container_id: id, cmd: ['sh', '-c', 'echo out; echo err >&2; exit 7'], timeout: 5 });
    expect({ stdout: String(exec.stdout), stderr: String(exec.stderr), exit_code: exec.exit_code }).toEqual({ stdout: 'out\n', stderr: 'err\n', exit_code: 7 });
    await rpc('StopContainer', { container_id: id, timeout: 1 });
    await rpc('StopContainer', { container_id: id, timeout: 1 });
    expect((await rpc('ContainerStatus', { container_id: id }) as { status: { state: string } }).status.state).toBe('CONTAINER_EXITED');
    await rpc('RemoveContainer', { container_id: id });
    await rpc('RemoveContainer', { container_id: id });
    expect(await codeOf(rpc('ContainerStatus', { container_id: id }))).toBe('NOT_FOUND');
  });

  it('maps errors to gRPC codes', async () => {
    const sandboxId = await runPod();
    const id = await runContainer(sandboxId, 'short');
    await rpc('StopContainer', { container_id: id, timeout: 0 });
    expect(await codeOf(rpc('StartContainer', { container_id: '' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(rpc('ContainerStatus', { container_id: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(rpc('Exec', { container_id: id, cmd: ['ls'], tty: true, stdout: true, stderr: true }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(rpc('Exec', { container_id: id, cmd: ['ls'] }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(rpc('Exec', { container_id: id, cmd: ['ls'], stdout: true }))).toBe('FAILED_PRECONDITION');
    expect(await codeOf(rpc('RunPodSandbox', { config: SANDBOX, runtime_handler: 'kata' }))).toBe('INVALID_ARGUMENT');
    rt.failPull('missing:1');
    await expect(img('PullImage', { image: { image: 'missing:1' } })).rejects.toMatchObject({ code: Code.UNKNOWN, details: expect.stringContaining('pull access denied') });
    for (const [method, req] of [['UpdateContainerResources', { container_id: id, linux: {} }], ['ReopenContainerLog', { container_id: id }],
      ['CheckpointContainer', {}], ['ListMetricDescriptors', {}]] as const) {
      await expect(rpc(method, req)).rejects.toMatchObject({ code: Code.UNIMPLEMENTED, details: expect.stringContaining(`${method} is not implemented`) });
    }
  });

  it('hands out exec and port-forward URLs on the loopback streaming server, each good for one session', async () => {
    const sandboxId = await runPod();
    const id = await runContainer(sandboxId, 'exec-target');
    const { url } = await rpc('Exec', { container_id: id, cmd: ['echo', 'via-url'], stdout: true, stderr: true }) as { url: string };
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.streamingPort}/exec/`));
    const session = (u: string, protocol: string) => new Promise<Buffer[]>((resolve, reject) => {
      const ws = new WebSocket(u.replace(/^http/, 'ws'), [protocol]);
      const frames: Buffer[] = [];
      ws.on('message', (d: Buffer) => frames.push(d));
      ws.on('close', () => resolve(frames));
      ws.on('error', reject);
    });
    const frames = await session(url, 'v4.channel.k8s.io');
    expect(Buffer.concat(frames.filter((f) => f[0] === 1).map((f) => f.subarray(1))).toString()).toBe('via-url\n');
    await expect(session(url, 'v4.channel.k8s.io')).rejects.toThrow(/404/);

    const attach = await rpc('Attach', { container_id: id, stdout: true, stderr: true }) as { url: string };
    expect(attach.url).toMatch(/\/attach\/[A-Za-z0-9_-]+$/);
    const pf = await rpc('PortForward', { pod_sandbox_id: sandboxId, port: [8080] }) as { url: string };
    expect(pf.url).toMatch(/\/portforward\/[A-Za-z0-9_-]+$/);
    expect(await codeOf(rpc('PortForward', { pod_sandbox_id: 'nope', port: [80] }))).toBe('NOT_FOUND');
  });

  it('serves the URLs to cri/streaming\'s client: exec over WebSocket and SPDY, port-forward over WebSocket', async () => {
    const sandboxId = await runPod();
    const id = await runContainer(sandboxId, 'client-target');
    const collect = async (s: StreamSession) => {
      let out = '';
      s.stdout.on('data', (b: Buffer) => { out += b.toString(); });
      const code = await s.exitCode;
      return { out, code };
    };
    for (const transport of ['websocket', 'spdy'] as const) {
      const flags = { cmd: ['sh', '-c', `echo ${transport}; exit 5`], tty: false, stdin: false, stdout: true, stderr: true };
      const { url } = await rpc('Exec', { container_id: id, ...flags }) as { url: string };
      expect(await collect(await dialExec(url, flags, { transport }))).toEqual({ out: `${transport}\n`, code: 5 });
    }
    const { url } = await rpc('PortForward', { pod_sandbox_id: sandboxId, port: [8080] }) as { url: string };
    const conn = await dialPortForward(url, 8080);
    const echoed = new Promise<string>((resolve) => conn.once('data', (d: Buffer) => resolve(d.toString())));
    conn.write('ping');
    expect(await echoed).toBe('ping');
    conn.destroy();
  });

  it('reports container stats, and pod stats summed from them', async () => {
    const sandboxId = await runPod();
    const id = await runContainer(sandboxId, 'measured');
    const one = await rpc('ContainerStats', { container_id: id }) as { stats: Record<string, unknown> };
    expect(one.stats).toMatchObject({ attributes: { id, metadata: { name: 'measured' } }, cpu: { usage_core_nano_seconds: { value: '1234' } }, memory: { working_set_bytes: { value: '4096' } } });
    const all = await rpc('ListContainerStats', { filter: { pod_sandbox_id: sandboxId } }) as { stats: { attributes: { id: string } }[] };
    expect(all.stats.map((s) => s.attributes.id)).toEqual([id]);
    // the pod's figures: the sums over its running containers
    const second = await runContainer(sandboxId, 'measured-too');
    const pod = await rpc('PodSandboxStats', { pod_sandbox_id: sandboxId }) as { stats: Record<string, unknown> };
    expect(pod.stats).toMatchObject({
      attributes: { id: sandboxId, metadata: { uid: 'uid-web' } },
      linux: { cpu: { usage_core_nano_seconds: { value: '2468' } }, memory: { working_set_bytes: { value: '8192' } } },
    });
    expect((pod.stats['linux'] as { containers: { attributes: { id: string } }[] }).containers.map((c) => c.attributes.id).sort()).toEqual([id, second].sort());
    const listed = await rpc('ListPodSandboxStats', { filter: { id: sandboxId } }) as { stats: { attributes: { id: string } }[] };
    expect(listed.stats.map((s) => s.attributes.id)).toEqual([sandboxId]);
    expect(await codeOf(rpc('PodSandboxStats', { pod_sandbox_id: 'nope' }))).toBe('NOT_FOUND');
  });

  it('lists, inspects, pulls and removes images (a missing image is an empty status)', async () => {
    const list = await img('ListImages') as { images: { repo_tags: string[] }[] };
    expect(list.images.flatMap((i) => i.repo_tags)).toContain('busybox');
    expect((await img('ImageStatus', { image: { image: 'busybox' } }) as { image: { id: string } }).image.id).not.toBe('');
    expect((await img('ImageStatus', { image: { image: 'absent:1' } })).image).toBeNull();
    const { image_ref: ref } = await img('PullImage', { image: { image: 'pulled:1' } });
    expect(ref).toMatch(/./);
    expect((await img('ImageStatus', { image: { image: 'pulled:1' } }) as { image: { id: string } }).image.id).toBe(ref);
    await img('RemoveImage', { image: { image: 'pulled:1' } });
    await img('RemoveImage', { image: { image: 'pulled:1' } });
    expect((await img('ImageStatus', { image: { image: 'pulled:1' } })).image).toBeNull();
    expect(await codeOf(img('ImageStatus', { image: { image: '' } }))).toBe('INVALID_ARGUMENT');
    const fs = await img('ImageFsInfo') as { image_filesystems: { used_bytes: { value: string } }[] };
    const total = (await rt.listImages()).reduce((n, i) => n + i.size, 0);
    expect(fs.image_filesystems.map((f) => Number(f.used_bytes.value))).toEqual([total]);
  });

  it('streams container events with the sandbox and container status', async () => {
    const stream = (runtimeClient as unknown as Record<string, (req: object) => ClientReadableStream<Record<string, unknown>>>)['GetContainerEvents']!.call(runtimeClient, {});
    const first = new Promise<Record<string, unknown>>((resolve, reject) => { stream.once('data', resolve); stream.once('error', reject); });
    await new Promise((r) => setTimeout(r, 100)); // let the subscription start: events have no replay
    const sandboxId = await runPod();
    const { container_id: id } = await rpc('CreateContainer', { pod_sandbox_id: sandboxId, config: container('evented', ['sleep', '1']), sandbox_config: SANDBOX });
    const e = await first;
    stream.cancel();
    expect(e).toMatchObject({
      container_id: id, container_event_type: 'CONTAINER_CREATED_EVENT',
      pod_sandbox_status: { id: sandboxId, metadata: { uid: 'uid-web' } }, containers_statuses: [{ id, state: 'CONTAINER_CREATED' }],
    });
  });

  it('removes its socket on close', async () => {
    const other = await startCriServer({ socketPath: join(dir, 'other.sock'), runtime: rt, log: silentLogger() });
    expect((await lstat(other.socketPath)).isSocket()).toBe(true);
    await other.close();
    await expect(lstat(other.socketPath)).rejects.toThrow(/ENOENT/);
  });
});
