import { describe, expect, it } from 'vitest';
import { testStreams } from '../testing/test-streams.js';
import { UsageError } from '../flags.js';
import { imageCommand, parseRuntimeEndpoint } from './image-command.js';


describe('parseRuntimeEndpoint', () => {
  it.each([
    ['docker:///var/run/docker.sock', { kind: 'docker', socketPath: '/var/run/docker.sock' }],
    ['unix:///var/run/docker.sock', { kind: 'docker', socketPath: '/var/run/docker.sock' }],
    ['containerd:///run/containerd/containerd.sock', { kind: 'containerd', address: '/run/containerd/containerd.sock' }],
    ['unix:///run/containerd/containerd.sock', { kind: 'containerd', address: '/run/containerd/containerd.sock' }],
  ])('%s', (s, want) => expect(parseRuntimeEndpoint(s)).toEqual(want));

  it('rejects other forms as a usage error', () => {
    expect(() => parseRuntimeEndpoint('tcp://1.2.3.4:2375')).toThrow(UsageError);
    expect(() => parseRuntimeEndpoint('/var/run/docker.sock')).toThrow(UsageError);
  });
});

describe('imageCommand usage', () => {
  it('needs a subcommand', async () => {
    const { out, streams } = testStreams();
    expect(await imageCommand([], streams)).toBe(2);
    expect(out()).toContain('build-test');
  });

  it('rejects unknown subcommands, flags and arguments with UsageError', async () => {
    const { streams } = testStreams();
    await expect(imageCommand(['frob'], streams)).rejects.toThrow(UsageError);
    await expect(imageCommand(['build-test', '--nope'], streams)).rejects.toThrow(UsageError);
    await expect(imageCommand(['build-test', 'extra'], streams)).rejects.toThrow(UsageError);
    await expect(imageCommand(['import'], streams)).rejects.toThrow(UsageError);
    await expect(imageCommand(['import', 'a.tar', '--runtime-endpoint', 'bogus'], streams)).rejects.toThrow(UsageError);
  });
});
