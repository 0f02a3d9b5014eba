import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../control/util/log.js';
import { FakeRunner, fail } from '../../lib/exec/fake-runner.js';
import { renderForwardChain } from './forward-rules.js';
import { setupNodeNetwork, sysctlsFor, teardownNodeNetwork } from './node-setup.js';
import type { NodeNetworkOptions } from './node-setup.js';

/** A fake host: sysctls all different from what we want (no net.bridge.*), no bridge yet, Docker's nft FORWARD DROP, no legacy tables. */
function fakeHost(o: { bridgeExists?: boolean; ruleExists?: boolean; jumpExists?: boolean } = {}): FakeRunner {
  return new FakeRunner((line) => {
    if (line.startsWith('sysctl -e ')) return line.slice(10).split(' ').filter((k) => !k.startsWith('net.bridge')).map((k) => `${k} = ${/ip_forward|route_localnet/.test(k) ? 0 : 1}`).join('\n');
    if (line === 'ip -j link show dev tk0') { if (!o.bridgeExists) throw fail(line, 'Device "tk0" does not exist.', 1); return '[{}]'; }
    if (line === 'ip -j -4 addr show dev tk0') return o.bridgeExists ? '[{"ifname":"tk0","addr_info":[{"local":"10.244.0.1","prefixlen":24}]}]' : '[]';
    if (line === 'ip -j -4 addr show') return '[{"ifname":"lo","addr_info":[{"local":"127.0.0.1","prefixlen":8}]},{"ifname":"eth0","addr_info":[{"local":"10.200.0.11","prefixlen":24}]}]';
    if (line === 'ip -j -4 rule show pref 79') return o.ruleExists ? '[{"priority":79,"src":"all","dst":"10.96.0.0","dstlen":12,"iif":"lo","table":"79"}]' : '[]';
    if (line === 'cat /proc/net/ip_tables_names') return '';
    if (line === 'iptables-nft -w 5 -t filter -S FORWARD') return '-P FORWARD DROP\n-A FORWARD -j DOCKER-USER\n';
    if (line.startsWith('iptables-nft -w 5 -t filter -C FORWARD') && !o.jumpExists) throw fail(line, 'iptables: Bad rule (does a matching rule exist in that chain?).', 1);
    return '';
  });
}

const base = (mode: 'node' | 'host', exec: FakeRunner): NodeNetworkOptions =>
  ({ mode, bridge: 'tk0', podCidr: '10.244.1.0/24', nodeIP: '10.200.0.11', dnsIP: '10.96.0.10', exec, log: silentLogger() });

const changes = (r: FakeRunner): string[] => r.calls.filter((c) => !/^(sysctl -e|ip -j|ip -4 route show|cat |iptables-nft -w 5 -t filter -[SC] )/.test(c));

describe('sysctlsFor', () => {
  it('sets everything of gotcha 8 in a node, only ip_forward and route_localnet on the host', () => {
    expect(Object.keys(sysctlsFor('host'))).toEqual(['net.ipv4.ip_forward', 'net.ipv4.conf.all.route_localnet']);
    expect(sysctlsFor('node', 'eth0')).toMatchObject({ 'net.ipv4.icmp_ratelimit': '0', 'net.bridge.bridge-nf-call-iptables': '1', 'net.ipv4.conf.eth0.send_redirects': '0' });
  });
});

describe('setupNodeNetwork', () => {
  it("mode 'node': sysctls, bridge with the gateway, DNS /32 on lo, service CIDR dev <lan-if>; no unreachable, no iptables", async () => {
    const r = fakeHost();
    const state = await setupNodeNetwork(base('node', r));
    expect(changes(r)).toEqual([
      expect.stringMatching(/^sysctl -q -e -w net\.ipv4\.ip_forward=1 .*net\.ipv4\.icmp_ratelimit=0.* net\.ipv4\.conf\.eth0\.send_redirects=0$/),
      'ip link add tk0 type bridge',
      'ip addr replace 10.244.1.1/24 dev tk0',
      'ip link set tk0 up',
      'ip link set lo up',
      'ip addr replace 10.96.0.10/32 dev lo',
      'ip route replace 10.96.0.0/12 dev eth0 proto 78',
    ]);
    expect(r.calls.some((c) => c.includes('unreachable') || c.startsWith('iptables') || c.includes(' rule '))).toBe(false);
    expect(state.sysctls['net.ipv4.ip_forward']).toBe('0');
    expect(state.sysctls['net.bridge.bridge-nf-call-iptables']).toBeUndefined();
  });

  it("mode 'host': ip_forward/route_localnet only, unreachables, the pref 79 rule, TK-FORWARD-PODS in the DROP backend", async () => {
    const r = fakeHost();
    const state = await setupNodeNetwork(base('host', r));
    expect(changes(r)).toEqual([
      'sysctl -q -e -w net.ipv4.ip_forward=1 net.ipv4.conf.all.route_localnet=1',
      'ip link add tk0 type bridge',
      'ip addr replace 10.244.1.1/24 dev tk0',
      'ip link set tk0 up',
      'ip link set lo up',
      'ip addr replace 10.96.0.10/32 dev lo',
      'ip route replace unreachable 10.96.0.0/12 proto 78',
      'ip route replace unreachable 10.244.0.0/16 proto 78',
      'ip route replace 10.96.0.0/12 dev tk0 table 79 proto 78',
      'ip rule add pref 79 iif lo to 10.96.0.0/12 lookup 79',
      'iptables-nft-restore -w 5 --noflush',
      'iptables-nft -w 5 -t filter -I FORWARD 1 -m comment --comment tinykube pod traffic -j TK-FORWARD-PODS',
    ]);
    expect(r.inputs[r.calls.indexOf('iptables-nft-restore -w 5 --noflush')]).toBe(renderForwardChain('10.244.0.0/16'));
    expect(r.calls.some((c) => c.includes('iptables-legacy') || c.includes('-P FORWARD') || c.includes('net.bridge'))).toBe(false);
    expect(state.forwardBackends).toEqual(['nft']);
  });

  it('is idempotent: an existing bridge, rule and jump are kept', async () => {
    const r = fakeHost({ bridgeExists: true, ruleExists: true, jumpExists: true });
    await setupNodeNetwork(base('host', r));
    expect(r.calls.some((c) => c.startsWith('ip link add') || c.startsWith('ip rule add') || c.includes(' -I FORWARD'))).toBe(false);
  });

  it('replaces a stale bridge address the CNI plugin would refuse', async () => {
    const r = fakeHost({ bridgeExists: true });
    await setupNodeNetwork({ ...base('node', r), podCidr: '10.244.7.0/24' });
    expect(changes(r)).toContain('ip addr del 10.244.0.1/24 dev tk0');
    expect(changes(r)).toContain('ip addr replace 10.244.7.1/24 dev tk0');
  });
});

describe('teardownNodeNetwork', () => {
  it("mode 'host': flushes our proto 78 routes, the rule, the chain and jump, the DNS address, the bridge, and restores sysctls", async () => {
    let rules = 1;
    const r = new FakeRunner((line) => {
      if (line === 'ip -j -4 rule show pref 79') return rules ? '[{"priority":79,"dst":"10.96.0.0","dstlen":12,"iif":"lo","table":"79"}]' : '[]';
      if (line.startsWith('ip rule del')) { rules--; return ''; }
      if (line === 'cat /proc/net/ip_tables_names') return 'filter\nnat\n';
      if (line === 'iptables-legacy -w 5 -t filter -S TK-FORWARD-PODS') throw fail(line, 'iptables: No chain/target/match by that name.', 1);
      if (line === 'iptables-nft -w 5 -t filter -D FORWARD -m comment --comment tinykube pod traffic -j TK-FORWARD-PODS' && r.matching(line).length > 1) {
        throw fail(line, 'iptables: Bad rule (does a matching rule exist in that chain?).', 1);
      }
      return '';
    });
    await teardownNodeNetwork(base('host', r), { sysctls: { 'net.ipv4.conf.all.route_localnet': '0' }, forwardBackends: ['nft'] });
    expect(r.calls).toEqual([
      'ip -4 route flush proto 78',
      'ip -4 route flush table 79 proto 78',
      'ip -j -4 rule show pref 79',
      'ip rule del pref 79 iif lo to 10.96.0.0/12 lookup 79',
      'ip -j -4 rule show pref 79',
      'cat /proc/net/ip_tables_names',
      'iptables-nft -w 5 -t filter -S TK-FORWARD-PODS',
      'iptables-nft -w 5 -t filter -D FORWARD -m comment --comment tinykube pod traffic -j TK-FORWARD-PODS',
      'iptables-nft -w 5 -t filter -D FORWARD -m comment --comment tinykube pod traffic -j TK-FORWARD-PODS',
      'iptables-nft -w 5 -t filter -F TK-FORWARD-PODS',
      'iptables-nft -w 5 -t filter -X TK-FORWARD-PODS',
      'iptables-legacy -w 5 -t filter -S TK-FORWARD-PODS',
      'ip addr del 10.96.0.10/32 dev lo',
      'ip link del tk0',
      'sysctl -q -e -w net.ipv4.conf.all.route_localnet=0',
    ]);
  });

  it('tolerates everything being gone already', async () => {
    const r = new FakeRunner((line) => {
      if (line.startsWith('ip -4 route flush')) throw fail(line, 'Error: ipv4: FIB table does not exist.');
      if (line === 'ip -j -4 rule show pref 79') return '[]';
      if (line.startsWith('iptables-nft -w 5 -t filter -S')) throw fail(line, "iptables v1.8.9 (nf_tables): chain `TK-FORWARD-PODS' in table `filter' is incompatible, use 'nft' tool.", 1);
      if (line.startsWith('ip addr del')) throw fail(line, 'Error: ipv4: Address not found.');
      if (line.startsWith('ip link del')) throw fail(line, 'Cannot find device "tk0"', 1);
      return '';
    });
    await expect(teardownNodeNetwork(base('host', r))).resolves.toBeUndefined();
  });
});
