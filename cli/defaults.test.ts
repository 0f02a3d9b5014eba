import { describe, expect, it } from 'vitest';
import { CONTAINERD_ENDPOINT, DOCKER_ENDPOINT, chooseRuntimeEndpoint, runtimeEndpointOf } from './defaults.js';
import { UsageError } from './flags.js';

describe('runtime selection (--runtime, --runtime-endpoint)', () => {
  it.each([
    [{}, DOCKER_ENDPOINT],
    [{ runtime: 'docker' }, DOCKER_ENDPOINT],
    [{ runtime: 'containerd' }, 'containerd:///run/containerd/containerd.sock'],
    [{ runtimeEndpoint: 'containerd:///tmp/x/containerd.sock' }, 'containerd:///tmp/x/containerd.sock'],
    [{ runtime: 'docker', runtimeEndpoint: 'containerd:///tmp/x/containerd.sock' }, 'containerd:///tmp/x/containerd.sock'],
    [{ runtime: 'containerd', runtimeEndpoint: 'unix:///var/run/docker.sock' }, 'unix:///var/run/docker.sock'],
  ])('%j → %s (the endpoint wins)', (flags, want) => {
    expect(chooseRuntimeEndpoint(flags)).toBe(want);
  });

  it('containerd listens on its own socket by default', () => {
    expect(CONTAINERD_ENDPOINT).toBe('containerd:///run/containerd/containerd.sock');
    expect(runtimeEndpointOf('containerd')).toBe(CONTAINERD_ENDPOINT);
  });

  it.each([
    [{ runtime: 'cri-o' }, '--runtime must be docker or containerd, not "cri-o"'],
    [{ runtime: '' }, '--runtime must be docker or containerd, not ""'],
    [{ runtime: 'rkt', runtimeEndpoint: DOCKER_ENDPOINT }, '--runtime must be docker or containerd, not "rkt"'],
    [{ runtimeEndpoint: 'tcp://1.2.3.4:2375' }, /^invalid --runtime-endpoint: /],
  ])('%j is a one-line usage error', (flags, msg) => {
    expect(() => chooseRuntimeEndpoint(flags)).toThrow(UsageError);
    expect(() => chooseRuntimeEndpoint(flags)).toThrow(msg);
    try { chooseRuntimeEndpoint(flags); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
  });

  it('a narrower choice refuses the others', () => {
    expect(() => runtimeEndpointOf('containerd', ['docker'])).toThrow('--runtime must be docker, not "containerd"');
  });
});
