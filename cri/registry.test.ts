import { describe, expect, it } from 'vitest';
import { DockerRuntime } from './docker/docker-runtime.js';
import { createRuntime } from './registry.js';

const opts = { cni: { conflist: { cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'bridge' }] } }, stateDir: '/tmp/x' };

describe('createRuntime', () => {
  it.each(['docker:///var/run/docker.sock', 'unix:///var/run/docker.sock'])('picks Docker for %s', (endpoint) => {
    expect(createRuntime(endpoint, opts)).toBeInstanceOf(DockerRuntime);
  });
  it.each([
    ['containerd:///run/containerd/containerd.sock', 'Unavailable'],
    ['unix:///run/containerd/containerd.sock', 'Unavailable'],
    ['docker://relative', 'InvalidArgument'],
    ['/var/run/docker.sock', 'InvalidArgument'],
  ])('%s → %s', (endpoint, kind) => {
    expect(() => createRuntime(endpoint, opts)).toThrow(expect.objectContaining({ kind }) as Error);
  });
});
