import { describe, expect, it } from 'vitest';
import { CriError } from '../../cri/errors.js';
import { UsageError } from './args.js';
import { openRuntime, parseEndpoint } from './runtime-target.js';

describe('crictl runtime endpoint', () => {
  it.each([
    ['docker:///var/run/docker.sock', { kind: 'docker', socketPath: '/var/run/docker.sock' }],
    ['unix:///var/run/docker.sock', { kind: 'docker', socketPath: '/var/run/docker.sock' }],
    ['unix:///run/containerd/containerd.sock', { kind: 'containerd', address: '/run/containerd/containerd.sock' }],
    ['containerd:///run/containerd/containerd.sock', { kind: 'containerd', address: '/run/containerd/containerd.sock' }],
  ])('%s', (ep, want) => { expect(parseEndpoint(ep)).toEqual(want); });

  it('rejects garbage as usage and containerd as not supported yet', () => {
    expect(() => parseEndpoint('tcp://x')).toThrow(UsageError);
    expect(() => openRuntime({ endpoint: 'containerd:///run/containerd/containerd.sock' })).toThrow(CriError);
    expect(() => openRuntime({ endpoint: 'containerd:///run/containerd/containerd.sock' })).toThrow(/not supported yet/);
  });
});
