/**
 * Node network setup in throwaway network namespaces (`tk<rand>`): mode 'node' and mode 'host'
 * (a netns standing in for the host, with a Docker-like FORWARD DROP and a default route), checked
 * with `ip route get` (which sends nothing), then torn down: routes, rules, addresses, links,
 * iptables and sysctls must equal the state before. Needs root and iproute2; skips otherwise.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../control/util/log.js';
import { networkToolRunner } from '../../agent/network/network-tools.js';
import { inNetns } from '../../lib/exec/netns.js';
import type { Runner } from '../../lib/exec/runner.js';
import { setupNodeNetwork, sysctlsFor, teardownNodeNetwork } from '../../agent/network/node-setup.js';
import type { NodeNetworkOptions } from '../../agent/network/node-setup.js';

function canRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  try { execFileSync('ip', ['netns', 'list']); execFileSync('iptables-nft', ['--version']); } catch { return 'needs iproute2 and iptables-nft'; }
  return undefined;
}
const skipReason = canRun();
if (skipReason) console.log(`node-network integration skipped: ${skipReason}`);

const tag = randomBytes(3).toString('hex');
const made: string[] = [];
const sh = (...args: string[]): string => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
function netns(suffix: string): string {
  const name = `tk${tag}${suffix}`;
  sh('ip', 'netns', 'add', name);
  made.push(name);
  sh('ip', '-n', name, 'link', 'set', 'lo', 'up');
  return name;
}

/**
 * IPv6 link-local addresses and their routes are the kernel's, and change on their own while
 * duplicate address detection finishes (`tentative` goes, a `local fe80::…` route comes): not compared.
 */
const withoutLinkLocal = (text: string): string => text.split('\n').filter((l) => !/\bfe80::/.test(l)).join('\n');

async function snapshot(exec: Runner, keys: string[]): Promise<Record<string, string>> {
  const run = async (f: string, a: string[]) => (await exec.run(f, a).catch((e: unknown) => ({ stdout: `ERR ${String(e)}` }))).stdout;
  return {
    links: (await run('ip', ['-o', 'link', 'show'])).replace(/link-netns \S+/g, ''),
    addrs: withoutLinkLocal(await run('ip', ['-o', 'addr', 'show'])),
    routes: withoutLinkLocal(await run('ip', ['route', 'show', 'table', 'all'])),
    rules: await run('ip', ['rule', 'show']),
    iptables: (await run('iptables-nft-save', [])).split('\n').filter((l) => !l.startsWith('#')).join('\n'),
    sysctls: await run('sysctl', ['-e', ...keys]),
  };
}

const routeGet = async (exec: Runner, ...args: string[]): Promise<string> =>
  (await exec.run('ip', ['-4', 'route', 'get', ...args]).catch((e: unknown) => ({ stdout: `ERR ${String(e)}` }))).stdout;

describe.skipIf(!!skipReason)('node network setup in a throwaway netns', () => {
  afterAll(() => {
    for (const n of made) { try { sh('ip', 'netns', 'del', n); } catch { /* already gone */ } }
  });

  it("mode 'node': sets up, is idempotent, routes services to the LAN, tears down to the exact state before", async () => {
    const node = netns('n');
    const lan = netns('l');
    sh('ip', 'link', 'add', `tk${tag}a`, 'netns', node, 'type', 'veth', 'peer', 'name', `tk${tag}b`, 'netns', lan);
    sh('ip', '-n', node, 'addr', 'add', '10.200.0.11/24', 'dev', `tk${tag}a`);
    sh('ip', '-n', node, 'link', 'set', `tk${tag}a`, 'up');
    sh('ip', '-n', lan, 'link', 'set', `tk${tag}b`, 'up');
    const exec = inNetns(networkToolRunner(), node);
    const opts: NodeNetworkOptions = { mode: 'node', bridge: `tk${tag}br`, podCidr: '10.244.1.0/24', nodeIP: '10.200.0.11', dnsIP: '10.96.0.10', exec, log: silentLogger() };
    const keys = Object.keys(sysctlsFor('node', `tk${tag}a`));
    const before = await snapshot(exec, keys);

    const state = await setupNodeNetwork(opts);
    const after1 = await snapshot(exec, keys);
    expect(after1.addrs).toContain(`10.244.1.1/24`);
    expect(after1.addrs).toMatch(/lo\s+inet 10\.96\.0\.10\/32/);
    expect(after1.routes).toContain(`10.96.0.0/12 dev tk${tag}a proto 78`);
    expect(after1.routes).not.toContain('unreachable');
    expect(after1.sysctls).toContain('net.ipv4.icmp_ratelimit = 0');
    expect(after1.sysctls).toContain('net.bridge.bridge-nf-call-iptables = 1');
    expect(await routeGet(exec, '10.96.0.5')).toContain(`dev tk${tag}a`);
    expect(await routeGet(exec, '10.96.0.10')).toMatch(/^local 10\.96\.0\.10 dev lo/);
    expect(await routeGet(exec, '8.8.8.8')).toMatch(/ERR.*(unreachable|No route to host)/i); // no default route in a node

    await setupNodeNetwork(opts);
    expect(await snapshot(exec, keys)).toEqual(after1);

    await teardownNodeNetwork(opts, state);
    expect(await snapshot(exec, keys)).toEqual(before);
    await teardownNodeNetwork(opts, state); // idempotent
  });

  it("mode 'host': unreachables + pref 79 rule + TK-FORWARD-PODS past a FORWARD DROP; host settings untouched; exact teardown", async () => {
    const host = netns('h');
    const up = netns('u');
    sh('ip', 'link', 'add', `tk${tag}c`, 'netns', host, 'type', 'veth', 'peer', 'name', `tk${tag}d`, 'netns', up);
    sh('ip', '-n', host, 'addr', 'add', '10.201.0.2/24', 'dev', `tk${tag}c`);
    sh('ip', '-n', host, 'link', 'set', `tk${tag}c`, 'up');
    sh('ip', '-n', up, 'link', 'set', `tk${tag}d`, 'up');
    sh('ip', '-n', host, 'route', 'add', 'default', 'via', '10.201.0.1');
    const exec = inNetns(networkToolRunner(), host);
    await exec.run('iptables-nft', ['-P', 'FORWARD', 'DROP']); // what Docker does
    await exec.run('iptables-nft', ['-A', 'FORWARD', '-o', 'docker0', '-j', 'ACCEPT']);
    await exec.run('sysctl', ['-q', '-w', 'net.bridge.bridge-nf-call-iptables=0', 'net.ipv4.conf.all.rp_filter=1', 'net.ipv4.icmp_ratelimit=1000']);
    const keys = [...Object.keys(sysctlsFor('node')), ...Object.keys(sysctlsFor('host'))];
    const opts: NodeNetworkOptions = { mode: 'host', bridge: `tk${tag}hb`, podCidr: '10.244.3.0/24', dnsIP: '10.96.0.10', exec, log: silentLogger() };
    const before = await snapshot(exec, keys);

    const state = await setupNodeNetwork(opts);
    const s = await snapshot(exec, keys);
    expect(s.routes).toContain('unreachable 10.96.0.0/12 proto 78');
    expect(s.routes).toContain('unreachable 10.244.0.0/16 proto 78');
    expect(s.routes).toContain(`10.96.0.0/12 dev tk${tag}hb table 79 proto 78`);
    expect(s.rules).toMatch(/^79:\s+from all to 10\.96\.0\.0\/12 iif lo lookup 79/m);
    expect(s.iptables).toMatch(/-A FORWARD -m comment --comment "tinykube pod traffic" -j TK-FORWARD-PODS\n-A FORWARD -o docker0 -j ACCEPT/);
    expect(s.iptables).toContain(':FORWARD DROP');
    expect(s.iptables).toContain('-A TK-FORWARD-PODS -d 10.244.0.0/16');
    expect(s.sysctls).toContain('net.bridge.bridge-nf-call-iptables = 0');
    expect(s.sysctls).toContain('net.ipv4.conf.all.rp_filter = 1');
    expect(s.sysctls).toContain('net.ipv4.icmp_ratelimit = 1000');
    expect(s.sysctls).toContain('net.ipv4.conf.all.route_localnet = 1');
    // the host's own traffic to a ClusterIP goes to the pod bridge (then nat OUTPUT DNATs it) …
    expect(await routeGet(exec, '10.96.0.5')).toContain(`dev tk${tag}hb table 79`);
    // … forwarded traffic for service or unknown cluster addresses never follows the default route
    expect(await routeGet(exec, '10.96.0.5', 'from', '10.201.0.1', 'iif', `tk${tag}c`)).toMatch(/ERR.*(unreachable|No route to host)/i);
    expect(await routeGet(exec, '10.244.9.9')).toMatch(/ERR.*(unreachable|No route to host)/i);
    expect(await routeGet(exec, '10.244.3.7')).toContain(`dev tk${tag}hb`);
    expect(await routeGet(exec, '10.96.0.10')).toMatch(/^local 10\.96\.0\.10 dev lo/);

    await setupNodeNetwork(opts);
    expect(await snapshot(exec, keys)).toEqual(s);

    await teardownNodeNetwork(opts, state);
    expect(await snapshot(exec, keys)).toEqual(before);
  });
});
