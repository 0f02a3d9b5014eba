import { describe, expect, it } from 'vitest';
import { UsageError } from '../flags.js';
import { chooseCriSocket } from './runtime-target.js';

const DOCKER = 'docker:///var/run/docker.sock';

describe('crictl runtime endpoint', () => {
  it('takes -r first, then CONTAINER_RUNTIME_ENDPOINT, then the node in the data dir', () => {
    const base = { dataDir: '/d', recorded: DOCKER };
    expect(chooseCriSocket({ ...base, flag: 'unix:///x/cri.sock', env: 'unix:///y.sock' })).toBe('/x/cri.sock');
    expect(chooseCriSocket({ ...base, flag: 'containerd:///run/c.sock' })).toBe('/run/c.sock');
    expect(chooseCriSocket({ ...base, env: 'unix:///y.sock' })).toBe('/y.sock');
    expect(chooseCriSocket({ ...base, env: '' })).toBe('/d/cri.sock');
  });

  it("a Docker node's CRI is the agent's cri.sock; a containerd node's is containerd's socket", () => {
    expect(chooseCriSocket({ dataDir: '/var/lib/tinykube', recorded: DOCKER })).toBe('/var/lib/tinykube/cri.sock');
    expect(chooseCriSocket({ dataDir: '/d', recorded: 'containerd:///run/containerd/containerd.sock' })).toBe('/run/containerd/containerd.sock');
    expect(chooseCriSocket({ dataDir: '/d', recorded: 'unix:///run/k3s/containerd.sock' })).toBe('/run/k3s/containerd.sock');
  });

  it('refuses garbage and the Engine API as usage errors, naming the CRI socket to use', () => {
    expect(() => chooseCriSocket({ dataDir: '/d', recorded: DOCKER, flag: 'tcp://x' })).toThrow(UsageError);
    expect(() => chooseCriSocket({ dataDir: '/d', recorded: DOCKER, flag: 'unix:///' })).toThrow(UsageError);
    expect(() => chooseCriSocket({ dataDir: '/d', recorded: DOCKER, flag: DOCKER })).toThrow(/not CRI: a Docker node serves CRI on unix:\/\/\/d\/cri\.sock/);
  });
});
