import { describe, expect, it } from 'vitest';
import { isCriError } from '../errors.js';
import { firstHost, POD_CIDR_PLACEHOLDER, renderConflist, renderConflistTemplate } from './conflist.js';

describe('renderConflist', () => {
  const opts = { name: 'tinykube', bridge: 'tk0', subnet: '10.244.1.0/24', dataDir: '/var/lib/tinykube/cni' };

  it('renders bridge + host-local + portmap + firewall at cniVersion 1.0.0', () => {
    const c = renderConflist(opts);
    expect(c.cniVersion).toBe('1.0.0');
    expect(c.name).toBe('tinykube');
    expect(c.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap', 'firewall']);
    expect(c.plugins[0]).toEqual({
      type: 'bridge', bridge: 'tk0', isGateway: true, ipMasq: false, hairpinMode: true,
      ipam: {
        type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24', gateway: '10.244.1.1' }]],
        routes: [{ dst: '0.0.0.0/0' }], dataDir: '/var/lib/tinykube/cni',
      },
    });
    expect(c.plugins[1]).toEqual({ type: 'portmap', capabilities: { portMappings: true } });
    expect(c.plugins[2]).toEqual({ type: 'firewall', backend: 'iptables' });
  });

  it('takes an explicit gateway and can leave out the firewall', () => {
    const c = renderConflist({ ...opts, gateway: '10.244.1.254', firewall: false });
    expect(JSON.stringify(c)).toContain('"gateway":"10.244.1.254"');
    expect(c.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap']);
  });

  it.each([
    ['a subnet with a newline', { subnet: '10.244.1.0/24\n' }], ['a subnet with host bits', { subnet: '10.244.1.5/24' }],
    ['a subnet with leading zeros', { subnet: '10.244.01.0/24' }], ['an IPv6 subnet', { subnet: 'fd00::/64' }],
    ['a gateway outside the subnet', { gateway: '10.244.2.1' }], ['a gateway that is not an IP', { gateway: '10.244.1.1", "x": "y' }],
  ])('rejects %s', (_n, over) => {
    expect(() => renderConflist({ ...opts, ...over })).toThrow(expect.objectContaining({ kind: 'InvalidArgument' }) as Error);
  });

  it.each(['tk-bridge-too-long-0', '', 'tk0\n', '../x'])('rejects bridge name %j', (bridge) => {
    expect(() => renderConflist({ ...opts, bridge })).toThrow(expect.objectContaining({ kind: 'InvalidArgument' }) as Error);
  });
});

describe('firstHost', () => {
  it.each([
    ['10.244.1.0/24', '10.244.1.1'],
    ['10.244.1.77/24', '10.244.1.1'],
    ['10.0.0.0/8', '10.0.0.1'],
    ['192.168.3.128/25', '192.168.3.129'],
  ])('%s → %s', (cidr, gw) => expect(firstHost(cidr)).toBe(gw));

  it.each(['10.244.1.0', '10.244.1.0/31', '300.1.1.0/24', 'fd00::/64', '010.244.1.0/24', '10.244.1.0/24 '])('rejects %j', (cidr) => {
    let err: unknown;
    try { firstHost(cidr); } catch (e) { err = e; }
    expect(isCriError(err, 'InvalidArgument')).toBe(true);
  });
});

describe('renderConflistTemplate', () => {
  const t = { name: 'tinykube', bridge: 'tk0', dataDir: '/var/lib/tinykube/cni/networks', firewall: false };

  it('is renderConflist with {{.PodCIDR}} as the subnet and host-local choosing the same gateway', () => {
    const tpl = renderConflistTemplate(t);
    expect(POD_CIDR_PLACEHOLDER).toBe('{{.PodCIDR}}');
    // what containerd writes after substituting the podCIDR equals the Docker node's conflist minus
    // the gateway, which host-local defaults to the subnet's first host, as renderConflist sets it
    const substituted = JSON.parse(JSON.stringify(tpl).replace(POD_CIDR_PLACEHOLDER, '10.244.3.0/24')) as unknown;
    const docker = renderConflist({ ...t, subnet: '10.244.3.0/24' });
    const ranges = ((docker.plugins[0]!['ipam'] as { ranges: Array<Array<{ gateway?: string }>> }).ranges);
    expect(ranges[0]![0]!.gateway).toBe('10.244.3.1');
    delete ranges[0]![0]!.gateway;
    expect(substituted).toEqual(docker);
    expect(tpl.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap']);
    expect(renderConflistTemplate({ ...t, firewall: true }).plugins.map((p) => p.type)).toEqual(['bridge', 'portmap', 'firewall']);
  });

  it('refuses a bad bridge name as renderConflist does', () => {
    let caught: unknown;
    try { renderConflistTemplate({ ...t, bridge: 'a-bridge-name-too-long' }); } catch (e) { caught = e; }
    expect(isCriError(caught, 'InvalidArgument')).toBe(true);
  });
});
