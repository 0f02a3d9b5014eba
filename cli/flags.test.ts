import { describe, expect, it } from 'vitest';
import { bool, durationMs, parseFlags, runtimeEndpointFlag, str, UsageError } from './flags.js';

describe('parseFlags', () => {
  it('reads --name value, --name=value, booleans and positionals in order', () => {
    const p = parseFlags(['a', '--data-dir', '/d', '--listen=0.0.0.0:1', '--purge', 'b'], { values: ['data-dir', 'listen'], booleans: ['purge'] });
    expect(p.positionals).toEqual(['a', 'b']);
    expect(str(p, 'data-dir')).toBe('/d');
    expect(str(p, 'listen')).toBe('0.0.0.0:1');
    expect(str(p, 'absent', 'x')).toBe('x');
    expect(bool(p, 'purge')).toBe(true);
  });

  it.each([
    [['--bogus'], /unknown flag: --bogus/],
    [['--data-dir'], /flag needs an argument: --data-dir/],
  ])('%j is a usage error', (argv, msg) => {
    expect(() => parseFlags(argv, { values: ['data-dir'] })).toThrow(UsageError);
    expect(() => parseFlags(argv, { values: ['data-dir'] })).toThrow(msg);
  });
});

describe('runtimeEndpointFlag', () => {
  it.each([
    ['docker:///var/run/docker.sock', { kind: 'docker', socketPath: '/var/run/docker.sock' }],
    ['unix:///var/run/docker.sock', { kind: 'docker', socketPath: '/var/run/docker.sock' }],
    ['containerd:///run/containerd/containerd.sock', { kind: 'containerd', address: '/run/containerd/containerd.sock' }],
    ['unix:///run/containerd/containerd.sock', { kind: 'containerd', address: '/run/containerd/containerd.sock' }],
  ])('%s', (s, want) => expect(runtimeEndpointFlag(s)).toEqual(want));

  it.each(['tcp://1.2.3.4:2375', '/var/run/docker.sock'])('%s is a usage error', (s) => {
    expect(() => runtimeEndpointFlag(s)).toThrow(UsageError);
    expect(() => runtimeEndpointFlag(s)).toThrow(/^invalid --runtime-endpoint: /);
  });
});

describe('durationMs', () => {
  it('reads Go durations and refuses negative or malformed ones', () => {
    expect(durationMs('max-backoff', '1m30s')).toBe(90_000);
    expect(() => durationMs('max-backoff', '-1s')).toThrow(UsageError);
    expect(() => durationMs('max-backoff', 'soon')).toThrow(/invalid --max-backoff "soon"/);
  });
});
