import { describe, expect, it } from 'vitest';
import { DockerRuntime } from './docker/docker-runtime.js';
import { createRuntime } from './registry.js';

const opts = { cni: { conflist: { cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge' }] } }, stateDir: '/tmp/x' };

describe('createRuntime', () => {
  it('picks Docker for docker:// endpoints', () => {
    expect(createRuntime('docker:///var/run/docker.sock', opts)).toBeInstanceOf(DockerRuntime);
  });
  it.each([
    ['containerd:///run/containerd/containerd.sock', 'Unavailable'],
    ['unix:///var/run/docker.sock', 'InvalidArgument'],
    ['docker://relative', 'InvalidArgument'],
    ['/var/run/docker.sock', 'InvalidArgument'],
  ])('%s → %s', (endpoint, kind) => {
    expect(() => createRuntime(endpoint, opts)).toThrow(expect.objectContaining({ kind }) as Error);
  });
});
