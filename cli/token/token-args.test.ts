import { describe, expect, it } from 'vitest';
import { UsageError } from '../flags.js';
import { kubeconfigPath, parseCreateArgs, parseDeleteArgs, parseListArgs, parseTtl } from './token-args.js';

describe('token create flags', () => {
  it('defaults as kubeadm: 24h, signing+authentication, the default node-token group', () => {
    expect(parseCreateArgs([])).toEqual({
      opts: { ttlMs: 86_400_000, usages: ['signing', 'authentication'], groups: ['system:bootstrappers:tinykube:default-node-token'], printJoinCommand: false },
      kubeconfig: undefined,
    });
  });

  it('takes a token, ttl, description, groups, usages, --print-join-command and --kubeconfig', () => {
    const { opts, kubeconfig } = parseCreateArgs(['abcdef.0123456789abcdef', '--ttl', '1h30m', '--description=for node 2', '--groups', 'system:bootstrappers:a,system:bootstrappers:b',
      '--usages', 'authentication', '--print-join-command', '--kubeconfig', '/tmp/k']);
    expect(opts).toEqual({ token: { id: 'abcdef', secret: '0123456789abcdef' }, ttlMs: 5_400_000, description: 'for node 2',
      groups: ['system:bootstrappers:a', 'system:bootstrappers:b'], usages: ['authentication'], printJoinCommand: true });
    expect(kubeconfig).toBe('/tmp/k');
  });

  it('signing-only tokens get no groups; --groups "" means none', () => {
    expect(parseCreateArgs(['--usages', 'signing']).opts.groups).toEqual([]);
    expect(parseCreateArgs(['--groups', '']).opts.groups).toEqual([]);
  });

  it.each([
    [['not-a-token']], [['a', 'b']], [['--ttl', 'soon']], [['--ttl', '-1h']], [['--usages', 'signing,admin']],
    [['--groups', 'system:masters']], [['--usages', 'signing', '--groups', 'system:bootstrappers:x']], [['--nope']], [['--ttl']],
  ])('%j is a usage error', (argv) => { expect(() => parseCreateArgs(argv)).toThrow(UsageError); });

  it('ttl 0 never expires', () => {
    expect(parseTtl('0')).toBe(0);
    expect(parseTtl('24h0m0s')).toBe(86_400_000);
  });
});

describe('token list/delete flags', () => {
  it('list takes only --kubeconfig', () => {
    expect(parseListArgs(['--kubeconfig', 'k'])).toEqual({ kubeconfig: 'k' });
    expect(() => parseListArgs(['x'])).toThrow(UsageError);
  });

  it('delete takes ids or whole tokens', () => {
    expect(parseDeleteArgs(['abcdef', 'zyxwvu.0123456789abcdef'])).toEqual({ ids: ['abcdef', 'zyxwvu'], kubeconfig: undefined });
    expect(() => parseDeleteArgs([])).toThrow(UsageError);
    expect(() => parseDeleteArgs(['abcdef', 'ABCDEF'])).toThrow(/didn't match pattern/);
  });

  it('kubeconfig: flag, else $KUBECONFIG (first entry), else the default', () => {
    expect(kubeconfigPath('f', { KUBECONFIG: 'e' })).toBe('f');
    expect(kubeconfigPath(undefined, { KUBECONFIG: ':a:b' })).toBe('a');
    expect(kubeconfigPath(undefined, {})).toBe('/var/lib/tinykube/admin.kubeconfig');
  });
});
