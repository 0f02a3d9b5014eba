import { describe, expect, it } from 'vitest';
import { UsageError } from '../flags.js';
import { parseUserArgs } from './kubeconfig-args.js';

describe('parseUserArgs', () => {
  it('takes --name, repeated --group (both spellings, duplicates once), --ttl, --data-dir and --server', () => {
    expect(parseUserArgs(['--name', 'jane', '--group', 'dev', '--group=ops', '--group', 'dev', '--ttl', '1h30m', '--data-dir', '/d', '--server=https://10.0.0.1:6443']))
      .toEqual({ name: 'jane', groups: ['dev', 'ops'], ttlMs: 90 * 60_000, dataDir: '/d', server: 'https://10.0.0.1:6443' });
  });

  it('defaults as kubeadm: no groups, a year, the default data dir, the server from the admin kubeconfig', () => {
    expect(parseUserArgs(['--name=jane'])).toEqual({ name: 'jane', groups: [], ttlMs: 8760 * 3600_000, dataDir: '/var/lib/tinykube' });
  });

  it.each([
    [[], /--name not set/],
    [['--name', ''], /--name not set/],
    [['--name', 'j', '--group'], /needs an argument: --group/],
    [['--name', 'j', '--group='], /--group must not be empty/],
    [['--name', 'j', '--ttl', 'soon'], /invalid --ttl "soon"/],
    [['--name', 'j', '--ttl', '-1h'], /must not be negative/],
    [['--name', 'j', '--ttl', '0s'], /greater than zero/],
    [['--name', 'j', '--server', 'http://h:6443'], /want an https:\/\/ URL/],
    [['--name', 'j', '--org', 'x'], /unknown flag: --org/],
    [['--name', 'j', 'extra'], /unexpected argument "extra"/],
  ])('refuses %j', (argv, msg) => {
    expect(() => parseUserArgs(argv)).toThrow(UsageError);
    expect(() => parseUserArgs(argv)).toThrow(msg);
  });
});
