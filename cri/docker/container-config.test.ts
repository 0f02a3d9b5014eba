import { describe, expect, it } from 'vitest';
import type { ContainerConfig, PodSandboxConfig } from '../types.js';
import { containerCreateOptions, sandboxCreateOptions } from './container-config.js';

const sandbox: PodSandboxConfig = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 2 },
  hostname: 'web', logDirectory: '/var/log/pods/default_web_u1',
  labels: { app: 'web' }, annotations: { note: 'x' }, linux: { cgroupParent: '/kubepods/podu1' },
};
const base: ContainerConfig = { metadata: { name: 'c', attempt: 1 }, image: { image: 'tinykube/web:1' }, logPath: 'c/1.log' };

describe('sandboxCreateOptions', () => {
  it('makes a pause container with network none, shareable IPC, labels and annotations', () => {
    const o = sandboxCreateOptions(sandbox, 'tinykube/pause:1', 'node-a');
    expect(o.name).toBe('k8s_POD_web_default_u1_2');
    expect(o.Hostname).toBe('web');
    expect(o.HostConfig).toMatchObject({ NetworkMode: 'none', IpcMode: 'shareable', CgroupParent: '/kubepods/podu1' });
    expect(o.HostConfig?.OomScoreAdj).toBeUndefined();
    expect(o.Labels).toEqual({
      app: 'web', 'annotation.note': 'x', 'io.kubernetes.docker.type': 'podsandbox', 'io.tinykube.runtime-scope': 'node-a',
      'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': 'u1',
      'io.kubernetes.container.name': 'POD', 'io.tinykube.attempt': '2',
    });
  });

  it('uses the host network and no hostname for hostNetwork pods', () => {
    const o = sandboxCreateOptions({ ...sandbox, linux: { hostNetwork: true } }, 'p', 's');
    expect(o.HostConfig?.NetworkMode).toBe('host');
    expect(o.Hostname).toBeUndefined();
    expect(o.Labels?.['io.tinykube.host-network']).toBe('true');
  });
});

describe('containerCreateOptions', () => {
  it('joins the sandbox namespaces and carries labels, log path, env, mounts', () => {
    const o = containerCreateOptions('sb1', {
      ...base, envs: [{ key: 'A', value: 'b=c' }], workingDir: '/w',
      mounts: [{ hostPath: '/h', containerPath: '/c', readonly: true }, { hostPath: '/h2', containerPath: '/c2' }],
    }, sandbox, 'node-a');
    expect(o.name).toBe('k8s_c_web_default_u1_1');
    expect(o.HostConfig).toMatchObject({ NetworkMode: 'container:sb1', IpcMode: 'container:sb1', Binds: ['/h:/c:ro', '/h2:/c2'] });
    // Docker's own copy stays small: the CRI log file is the one kept (and rotated)
    expect(o.HostConfig?.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } });
    expect(o.Env).toEqual(['A=b=c']);
    expect(o.WorkingDir).toBe('/w');
    expect(o.Labels).toMatchObject({
      'io.kubernetes.sandbox.id': 'sb1', 'io.kubernetes.container.name': 'c', 'io.tinykube.attempt': '1',
      'io.kubernetes.pod.uid': 'u1', 'io.kubernetes.container.logpath': '/var/log/pods/default_web_u1/c/1.log',
    });
  });

  it.each([
    [undefined, undefined, {}],
    [['sh', '-c'], undefined, { Entrypoint: ['sh', '-c'], Cmd: [] }],
    [['sh', '-c'], ['echo hi'], { Entrypoint: ['sh', '-c'], Cmd: ['echo hi'] }],
    [undefined, ['echo', 'hi'], { Cmd: ['echo', 'hi'] }],
  ])('command %j args %j → %j (image defaults otherwise)', (command, args, want) => {
    const o = containerCreateOptions('sb', { ...base, ...(command ? { command } : {}), ...(args ? { args } : {}) }, sandbox, 's');
    expect({ ...(o.Entrypoint ? { Entrypoint: o.Entrypoint } : {}), ...(o.Cmd ? { Cmd: o.Cmd } : {}) }).toEqual(want);
  });

  it('maps resources, without swap, and clamps oom_score_adj to >= 0 (G1)', () => {
    const o = containerCreateOptions('sb', {
      ...base, linux: { resources: { memoryLimitInBytes: 1024, cpuShares: 512, cpuQuota: 50000, cpuPeriod: 100000, oomScoreAdj: -998 } },
    }, sandbox, 's');
    expect(o.HostConfig).toMatchObject({ Memory: 1024, MemorySwap: 1024, CpuShares: 512, CpuQuota: 50000, CpuPeriod: 100000, OomScoreAdj: 0 });
    const p = containerCreateOptions('sb', { ...base, linux: { resources: { oomScoreAdj: 1000 } } }, sandbox, 's');
    expect(p.HostConfig?.OomScoreAdj).toBe(1000);
    expect(p.HostConfig?.Memory).toBeUndefined();
  });

  it('sets stdin/tty flags', () => {
    const o = containerCreateOptions('sb', { ...base, stdin: true, stdinOnce: true, tty: true }, sandbox, 's');
    expect([o.OpenStdin, o.StdinOnce, o.Tty, o.AttachStdin]).toEqual([true, true, true, true]);
  });
});
