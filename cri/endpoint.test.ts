import { describe, expect, it } from 'vitest';
import { parseRuntimeEndpoint } from './endpoint.js';

describe('parseRuntimeEndpoint', () => {
  it.each([
    ['docker:///var/run/docker.sock', { kind: 'docker', socketPath: '/var/run/docker.sock' }],
    ['unix:///var/run/docker.sock', { kind: 'docker', socketPath: '/var/run/docker.sock' }],
    ['unix:///run/containerd/containerd.sock', { kind: 'containerd', address: '/run/containerd/containerd.sock' }],
    ['unix:///var/lib/tinykube/cri.sock', { kind: 'containerd', address: '/var/lib/tinykube/cri.sock' }],
    ['unix:///run/tinykube-test/x/docker.sock', { kind: 'docker', socketPath: '/run/tinykube-test/x/docker.sock' }],
    ['containerd:///run/containerd/containerd.sock', { kind: 'containerd', address: '/run/containerd/containerd.sock' }],
  ])('%s', (endpoint, want) => {
    expect(parseRuntimeEndpoint(endpoint)).toEqual(want);
  });

  it.each(['tcp://x', 'docker://relative', '/var/run/docker.sock', 'docker://', 'docker:///', 'bogus'])('rejects %s as InvalidArgument', (endpoint) => {
    expect(() => parseRuntimeEndpoint(endpoint)).toThrow(expect.objectContaining({ kind: 'InvalidArgument' }) as Error);
  });
});
