/**
 * How pods reach the node-local cluster DNS (the scheme the agent uses), in throwaway netns:
 * node setup puts 10.96.0.10/32 on the node's `lo`; the real DNS server (compiled, from dist/)
 * listens on 10.96.0.10:53 inside the node netns; a pod wired by the real CNI bridge plugin onto
 * the pre-created bridge queries it over UDP and TCP. netproxy-style rules are present (filter
 * REJECT for the service CIDR and for a kube-dns Service without endpoints, hooked from FORWARD
 * and OUTPUT, nat NodePort catch on LOCAL addresses): pod queries are delivered locally (INPUT),
 * so those rules never see them. Needs root, iproute2, iptables-nft, the CNI plugins and a build.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../control/util/log.js';
import { networkToolRunner } from '../../agent/network/network-tools.js';
import { inNetns } from '../../lib/exec/netns.js';
import { setupNodeNetwork } from '../../agent/network/node-setup.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
const CNI = '/usr/lib/cni';

function canRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!existsSync(join(DIST, 'agent/dns/dns-server.js'))) return 'needs a build (dist/agent/dns/dns-server.js)';
  if (!existsSync(join(CNI, 'bridge'))) return `needs the CNI plugins in ${CNI}`;
  try { execFileSync('ip', ['netns', 'list']); execFileSync('iptables-nft', ['--version']); } catch { return 'needs iproute2 and iptables-nft'; }
  return undefined;
}
const skipReason = canRun();
if (skipReason) console.log(`dns-netns integration skipped: ${skipReason}`);

const tag = randomBytes(3).toString('hex');
const NODE = `tk${tag}n`;
const POD = `tk${tag}p`;
const BRIDGE = `tk${tag}br`;
const sh = (args: string[], input?: string): string =>
  execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });

const NETPROXY_LIKE = `*filter
:TK-SERVICES - [0:0]
-A TK-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -m comment --comment "kube-system/kube-dns:dns has no endpoints" -j REJECT --reject-with icmp-port-unreachable
-A TK-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 53 -m comment --comment "kube-system/kube-dns:dns-tcp has no endpoints" -j REJECT --reject-with icmp-port-unreachable
-A TK-SERVICES -d 10.96.0.0/12 -m comment --comment "unallocated ClusterIP" -j REJECT --reject-with icmp-port-unreachable
-A FORWARD -m conntrack --ctstate NEW -j TK-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -j TK-SERVICES
COMMIT
*nat
:TK-SERVICES - [0:0]
:TK-NODEPORTS - [0:0]
-A PREROUTING -j TK-SERVICES
-A OUTPUT -j TK-SERVICES
-A TK-SERVICES -m addrtype --dst-type LOCAL -j TK-NODEPORTS
COMMIT
`;

const SERVER = `
const d = ${JSON.stringify(DIST)};
const { createDnsHandler } = await import(d + '/agent/dns/dns-handler.js');
const { serveDns } = await import(d + '/agent/dns/dns-server.js');
const { fixtureView } = await import(d + '/agent/dns/testing/dns-fixtures.js');
const { silentLogger } = await import(d + '/control/util/log.js');
const log = silentLogger();
const ac = new AbortController();
process.on('SIGTERM', () => ac.abort());
await serveDns({ handler: createDnsHandler({ view: fixtureView(), log }), listen: { address: '10.96.0.10', port: 53 }, log,
  onListening: () => console.log('LISTENING') }, ac.signal);
`;

const client = (transport: 'udp' | 'tcp', name: string, type: string): string => `
const { queryUdp, queryTcp } = await import(${JSON.stringify(join(DIST, 'agent/dns/testing/dns-client.js'))});
const q = ${transport === 'udp' ? 'queryUdp' : 'queryTcp'};
try {
  const a = await q({ address: '10.96.0.10', port: 53 }, ${JSON.stringify(name)}, ${JSON.stringify(type)}, 1500);
  console.log(JSON.stringify({ rcode: a.rcode, answers: a.answers.map((x) => x.data) }));
} catch (e) { console.log(JSON.stringify({ error: String(e) })); }
`;

function query(ns: string, transport: 'udp' | 'tcp', name: string, type = 'A'): { rcode?: string; answers?: unknown[]; error?: string } {
  return JSON.parse(sh(['ip', 'netns', 'exec', ns, process.execPath, '--input-type=module', '-e', client(transport, name, type)])) as { rcode?: string };
}

describe.skipIf(!!skipReason)('pods reach the node-local cluster DNS at 10.96.0.10', () => {
  let server: ChildProcess | undefined;
  const ipamDir = mkdtempSync(join(tmpdir(), 'tk-ipam-'));
  const conf = JSON.stringify({
    cniVersion: '1.0.0', name: `tk${tag}`, type: 'bridge', bridge: BRIDGE, isGateway: true, ipMasq: false, hairpinMode: true,
    ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24', gateway: '10.244.1.1' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: ipamDir },
  });
  const cni = (command: 'ADD' | 'DEL') => sh(['ip', 'netns', 'exec', NODE, 'env', `CNI_COMMAND=${command}`, `CNI_CONTAINERID=tk${tag}`,
    `CNI_NETNS=/var/run/netns/${POD}`, 'CNI_IFNAME=eth0', `CNI_PATH=${CNI}`, join(CNI, 'bridge')], conf);

  afterAll(async () => {
    if (server?.pid !== undefined && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server?.once('exit', r));
    }
    try { cni('DEL'); } catch { /* the pod netns may be gone already */ }
    for (const n of [POD, NODE]) { try { sh(['ip', 'netns', 'del', n]); } catch { /* never made */ } }
    rmSync(ipamDir, { recursive: true, force: true });
  });

  it('answers a pod over UDP and TCP although netproxy REJECTs the address in FORWARD/OUTPUT', async () => {
    for (const n of [NODE, POD]) { sh(['ip', 'netns', 'add', n]); sh(['ip', '-n', n, 'link', 'set', 'lo', 'up']); }
    await setupNodeNetwork({ mode: 'node', bridge: BRIDGE, podCidr: '10.244.1.0/24', lanInterface: 'lo', dnsIP: '10.96.0.10',
      exec: inNetns(networkToolRunner(), NODE), log: silentLogger() });
    sh(['ip', 'netns', 'exec', NODE, 'iptables-nft-restore', '--noflush'], NETPROXY_LIKE);
    const added = JSON.parse(cni('ADD')) as { ips?: Array<{ address: string }> };
    expect(added.ips?.[0]?.address).toMatch(/^10\.244\.1\.\d+\/24$/);

    server = spawn('ip', ['netns', 'exec', NODE, process.execPath, '--input-type=module', '-e', SERVER], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((ok, bad) => {
      const t = setTimeout(() => bad(new Error('dns server did not start')), 10_000);
      server?.stdout?.on('data', (b: Buffer) => { if (b.toString().includes('LISTENING')) { clearTimeout(t); ok(); } });
      server?.once('exit', (code) => { clearTimeout(t); bad(new Error(`dns server exited ${String(code)}`)); });
    });

    expect(query(POD, 'udp', 'myapp-service.default.svc.cluster.local')).toEqual({ rcode: 'NOERROR', answers: ['10.96.5.5'] });
    expect(query(POD, 'tcp', '_http._tcp.myapp-service.default.svc.cluster.local', 'SRV')).toMatchObject({ rcode: 'NOERROR', answers: [{ port: 80 }] });
    expect(query(POD, 'udp', 'nope.default.svc.cluster.local')).toMatchObject({ rcode: 'NXDOMAIN' });
    expect(query(POD, 'udp', 'example.com')).toMatchObject({ rcode: 'SERVFAIL' });
    // the bridge keeps exactly the gateway address the CNI plugin wants; DNS lives on lo
    expect(sh(['ip', '-n', NODE, '-o', '-4', 'addr', 'show', 'dev', BRIDGE])).toMatch(/inet 10\.244\.1\.1\/24/);
  });
});
