import { describe, expect, it } from 'vitest';
import { DockerRuntime } from './docker/docker-runtime.js';
import { createRuntime } from './registry.js';
import { RemoteRuntime } from './remote/remote-runtime.js';

const opts = { cni: { conflist: { cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge' }] } }, stateDir: '/tmp/x' };

describe('createRuntime', () => {
  it.each(['docker:///var/run/docker.sock', 'unix:///var/run/docker.sock'])('picks Docker for %s', async (endpoint) => {
    expect(await createRuntime(endpoint, opts)).toBeInstanceOf(DockerRuntime);
  });
  it.each(['containerd:///run/containerd/containerd.sock', 'unix:///run/containerd/containerd.sock', 'unix:///var/lib/tinykube/cri.sock'])(
    'picks the CRI gRPC client for %s (no connection until the first call)', async (endpoint) => {
      const rt = await createRuntime(endpoint, opts);
      expect(rt).toBeInstanceOf(RemoteRuntime);
      (rt as RemoteRuntime).close();
    });
  it.each([
    ['docker://relative', 'InvalidArgument'],
    ['/var/run/docker.sock', 'InvalidArgument'],
  ])('%s → %s', async (endpoint, kind) => {
    await expect(createRuntime(endpoint, opts)).rejects.toThrow(expect.objectContaining({ kind }) as Error);
  });
});
