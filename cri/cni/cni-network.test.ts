import { describe, expect, it } from 'vitest';
import { CriError } from '../errors.js';
import { CniNetwork, pluginConf } from './cni-network.js';
import type { CniConflist, CniInvocation, CniResult } from './types.js';
import { firstIPv4 } from './types.js';

const conflist: CniConflist = {
  cniVersion: '1.0.0',
  name: 'net',
  plugins: [{ type: 'bridge', bridge: 'b0' }, { type: 'portmap', capabilities: { portMappings: true } }, { type: 'firewall' }],
};
const bridgeResult: CniResult = { cniVersion: '1.0.0', ips: [{ address: '10.1.0.5/24', gateway: '10.1.0.1' }] };

function fakeExec(fail: Record<string, CriError> = {}) {
  const calls: CniInvocation[] = [];
  const exec = async (inv: CniInvocation): Promise<unknown> => {
    calls.push(inv);
    const type = inv.pluginPath.split('/').pop() ?? '';
    const f = fail[`${inv.command} ${type}`];
    if (f !== undefined) throw f;
    if (inv.command !== 'ADD') return undefined;
    return type === 'bridge' ? bridgeResult : inv.conf['prevResult'];
  };
  return { calls, exec };
}

describe('CniNetwork', () => {
  it('ADD runs plugins in order, chaining prevResult, with CNI parameters', async () => {
    const f = fakeExec();
    const net = new CniNetwork({ conflist, exec: f.exec });
    const ports = [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' as const }];
    const result = await net.add('abc', '/run/netns/abc', { portMappings: ports });
    expect(result).toEqual(bridgeResult);
    expect(f.calls.map((c) => c.pluginPath)).toEqual(['/usr/lib/cni/bridge', '/usr/lib/cni/portmap', '/usr/lib/cni/firewall']);
    expect(f.calls[0]).toMatchObject({ command: 'ADD', containerId: 'abc', netns: '/run/netns/abc', ifName: 'eth0', cniPath: '/usr/lib/cni' });
    expect(f.calls[0]?.conf).toEqual({ type: 'bridge', bridge: 'b0', name: 'net', cniVersion: '1.0.0' });
    expect(f.calls[1]?.conf['prevResult']).toEqual(bridgeResult);
    expect(f.calls[1]?.conf['runtimeConfig']).toEqual({ portMappings: ports });
    expect(f.calls[2]?.conf['runtimeConfig']).toBeUndefined();
  });

  it('DEL runs in reverse with the cached result, continues past failures and throws the first', async () => {
    const boom = new CriError('Unknown', 'portmap broke');
    const f = fakeExec({ 'DEL portmap': boom });
    const net = new CniNetwork({ conflist, exec: f.exec, binDir: '/opt/cni/bin', ifName: 'net0' });
    await expect(net.del('abc', '/gone', bridgeResult)).rejects.toBe(boom);
    expect(f.calls.map((c) => `${c.command} ${c.pluginPath}`)).toEqual([
      'DEL /opt/cni/bin/firewall', 'DEL /opt/cni/bin/portmap', 'DEL /opt/cni/bin/bridge',
    ]);
    expect(f.calls.every((c) => c.ifName === 'net0' && c.conf['prevResult'] === bridgeResult)).toBe(true);
  });

  it('CHECK passes the cached result and is skipped when disableCheck', async () => {
    const f = fakeExec();
    await new CniNetwork({ conflist, exec: f.exec }).check('abc', '/ns', bridgeResult);
    expect(f.calls.map((c) => c.command)).toEqual(['CHECK', 'CHECK', 'CHECK']);
    const g = fakeExec();
    await new CniNetwork({ conflist: { ...conflist, disableCheck: true }, exec: g.exec }).check('abc', '/ns', bridgeResult);
    expect(g.calls).toEqual([]);
  });

  it('ADD stops at the first failing plugin', async () => {
    const f = fakeExec({ 'ADD bridge': new CriError('InvalidArgument', 'bad') });
    await expect(new CniNetwork({ conflist, exec: f.exec }).add('abc', '/ns')).rejects.toMatchObject({ kind: 'InvalidArgument' });
    expect(f.calls).toHaveLength(1);
  });

  it('rejects an empty conflist', () => {
    expect(() => new CniNetwork({ conflist: { ...conflist, plugins: [] } })).toThrow(CriError);
  });
});

describe('pluginConf / firstIPv4', () => {
  it('injects only declared capabilities', () => {
    const conf = pluginConf(conflist, { type: 'x', capabilities: { portMappings: false } }, { portMappings: [] }, undefined);
    expect(conf).toEqual({ type: 'x', capabilities: { portMappings: false }, name: 'net', cniVersion: '1.0.0' });
  });

  it('takes the first IPv4 address without prefix', () => {
    expect(firstIPv4({ cniVersion: '1.0.0', ips: [{ address: 'fd00::5/64' }, { address: '10.1.0.5/24' }] })).toBe('10.1.0.5');
    expect(firstIPv4(undefined)).toBeUndefined();
  });
});
