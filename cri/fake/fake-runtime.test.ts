import { describe, expect, it } from 'vitest';
import { isNotFound } from '../errors.js';
import type { ContainerConfig, PodSandboxConfig, RuntimeEvent } from '../types.js';
import { FakeRuntime } from './fake-runtime.js';
import { eventually } from '../../test/helpers/eventually.js';

const sandbox: PodSandboxConfig = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 0 },
  labels: { 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': 'u1' },
};
const container = (name: string): ContainerConfig => ({
  metadata: { name, attempt: 0 }, image: { image: 'busybox:1' },
  labels: { ...sandbox.labels, 'io.kubernetes.container.name': name },
});

describe('FakeRuntime', () => {
  it('runs a sandbox with an IP from the counter and frees it on stop', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    const a = await rt.runPodSandbox(sandbox);
    const b = await rt.runPodSandbox({ ...sandbox, metadata: { ...sandbox.metadata, uid: 'u2' }, labels: { ...sandbox.labels, 'io.kubernetes.pod.uid': 'u2' } });
    expect((await rt.podSandboxStatus(a)).network?.ip).toBe('10.88.0.2');
    expect((await rt.podSandboxStatus(b)).network?.ip).toBe('10.88.0.3');
    await rt.stopPodSandbox(a);
    await rt.stopPodSandbox(a); // idempotent
    expect(rt.allocatedIps()).toEqual(['10.88.0.3']);
    await rt.removePodSandbox(a);
    await rt.removePodSandbox(a); // idempotent
    await expect(rt.podSandboxStatus(a)).rejects.toSatisfy(isNotFound);
    expect((await rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': 'u2' } })).map((s) => s.id)).toEqual([b]);
  });

  it('walks the container state machine; stop and remove are idempotent', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    const sb = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(sb, container('app'), sandbox);
    expect((await rt.containerStatus(id)).state).toBe('CONTAINER_CREATED');
    await rt.startContainer(id);
    expect((await rt.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
    await rt.stopContainer(id, 5);
    await rt.stopContainer(id, 5);
    const st = await rt.containerStatus(id);
    expect([st.state, st.exitCode, st.reason]).toEqual(['CONTAINER_EXITED', 137, 'Error']);
    expect(rt.stops[0]).toEqual({ containerId: id, timeoutSeconds: 5 });
    await rt.removeContainer(id);
    await rt.removeContainer(id);
    await expect(rt.containerStatus(id)).rejects.toSatisfy(isNotFound);
  });

  it('refuses to create a container whose image is absent', async () => {
    const rt = new FakeRuntime();
    const sb = await rt.runPodSandbox(sandbox);
    await expect(rt.createContainer(sb, container('app'), sandbox)).rejects.toSatisfy(isNotFound);
  });

  it.each([
    [{ exitAfterMs: 5, exitCode: 0 }, 0, 'Completed'],
    [{ exitAfterMs: 5, exitCode: 2 }, 2, 'Error'],
    [{ exitAfterMs: 5, oom: true }, 137, 'OOMKilled'],
  ])('a container with behaviour %j exits with %i %s', async (b, code, reason) => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    rt.setBehaviour('app', b);
    const sb = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(sb, container('app'), sandbox);
    await rt.startContainer(id);
    await eventually(async () => {
      const st = await rt.containerStatus(id);
      expect([st.state, st.exitCode, st.reason]).toEqual(['CONTAINER_EXITED', code, reason]);
    });
  });

  it('pulls images, or fails as told', async () => {
    const rt = new FakeRuntime();
    rt.failPull('nosuch:1');
    await expect(rt.pullImage({ image: 'nosuch:1' })).rejects.toThrow(/pull image "nosuch:1"/);
    expect(await rt.imageStatus({ image: 'nosuch:1' })).toBeUndefined();
    const ref = await rt.pullImage({ image: 'busybox:1' });
    expect((await rt.imageStatus({ image: 'busybox:1' }))?.id).toBe(ref);
  });

  it('answers execSync from a script and streams exec output', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    rt.onExec('app', (cmd) => ({ exitCode: cmd[0] === 'false' ? 1 : 0, stdout: Buffer.from(cmd.join(' ')) }));
    const sb = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(sb, container('app'), sandbox);
    await rt.startContainer(id);
    expect((await rt.execSync(id, ['false'], 1)).exitCode).toBe(1);
    expect((await rt.execSync(id, ['echo', 'hi'], 1)).stdout.toString()).toBe('echo hi');
    const s = await rt.exec(id, { cmd: ['hostname'], tty: false, stdin: false, stdout: true, stderr: true });
    const chunks: Buffer[] = [];
    for await (const c of s.stdout) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hostname');
    expect(await s.exitCode).toBe(0);
  });

  it('replays and follows recorded logs', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    const sb = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(sb, container('app'), sandbox);
    await rt.startContainer(id);
    rt.log(id, 'one');
    rt.log(id, 'two');
    const ac = new AbortController();
    const got: string[] = [];
    const done = (async () => { for await (const l of rt.containerLogs(id, { follow: true, tailLines: 1 }, ac.signal)) got.push(l.line.toString()); })();
    await eventually(() => { expect(got).toEqual(['two']); }); // following now
    rt.log(id, 'three');
    await eventually(() => { expect(got).toEqual(['two', 'three']); });
    rt.exit(id, 0);
    await done;
    expect(got).toEqual(['two', 'three']);
  });

  it('streams events', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    const ac = new AbortController();
    const seen: RuntimeEvent['type'][] = [];
    const done = (async () => { for await (const e of rt.events(ac.signal)) { seen.push(e.type); if (seen.length === 3) ac.abort(); } })();
    const sb = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(sb, container('app'), sandbox);
    await rt.startContainer(id);
    await rt.stopContainer(id, 0);
    await done;
    expect(seen).toEqual(['created', 'started', 'stopped']);
  });

  it('runs the command through the fake shell unless a behaviour is set', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    const sb = await rt.runPodSandbox(sandbox);
    const scripted = await rt.createContainer(sb, { ...container('job'), command: ['sh', '-c', 'echo hi; exit 2'] }, sandbox);
    rt.setBehaviour('server', { exitAfterMs: 1, exitCode: 5 });
    const overridden = await rt.createContainer(sb, { ...container('server'), command: ['sh', '-c', 'exit 2'] }, sandbox);
    await rt.startContainer(scripted);
    await rt.startContainer(overridden);
    await eventually(async () => {
      expect((await rt.containerStatus(scripted)).exitCode).toBe(2);
      expect((await rt.containerStatus(overridden)).exitCode).toBe(5);
    });
    const lines: string[] = [];
    for await (const l of rt.containerLogs(scripted, { follow: false }, new AbortController().signal)) lines.push(l.line.toString());
    expect(lines).toEqual(['hi']);
  });

  it('attaches to a cat: stdin comes back, and the session ends when the container exits', async () => {
    const rt = new FakeRuntime({ images: ['busybox:1'] });
    const sb = await rt.runPodSandbox(sandbox);
    const id = await rt.createContainer(sb, container('app'), sandbox);
    await rt.startContainer(id);
    const s = await rt.attach(id, { tty: false, stdin: true, stdout: true, stderr: false });
    const got = new Promise<string>((resolve) => s.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    s.stdin?.write('ping');
    expect(await got).toBe('ping');
    rt.exit(id, 4);
    expect(await s.exitCode).toBe(4);
  });

  it('port-forwards to an echo stream, recording the ports', async () => {
    const rt = new FakeRuntime();
    const sb = await rt.runPodSandbox(sandbox);
    const conn = await rt.portForward(sb, 8080);
    const back = new Promise<string>((resolve) => conn.once('data', (d: Buffer) => resolve(d.toString())));
    conn.write('hello');
    expect(await back).toBe('hello');
    expect(rt.forwardedPorts).toEqual([8080]);
    await expect(rt.portForward('nope', 80)).rejects.toSatisfy(isNotFound);
  });

  it('keeps the last runtime config and rejects a podCIDR that is not one', async () => {
    const rt = new FakeRuntime();
    await rt.updateRuntimeConfig({ networkConfig: { podCidr: '10.244.1.0/24' } });
    expect(rt.runtimeConfig).toEqual({ networkConfig: { podCidr: '10.244.1.0/24' } });
    await expect(rt.updateRuntimeConfig({ networkConfig: { podCidr: 'bogus' } })).rejects.toMatchObject({ kind: 'InvalidArgument' });
  });
});
