/**
 * Issue 10 item 3, values that reach the kernel (against the real server, kubectl and, for the
 * rules, the real iptables-restore):
 * - a Service whose externalIP carries a newline and iptables text, a plain invalid IP, a bad
 *   LoadBalancer ingress, an EndpointSlice address and a Node podCIDR are refused with upstream's
 *   422 and causes, and nothing is stored;
 * - a node address is not validated by the API (as upstream): one that is not an IPv4 address is
 *   accepted, but the LoadBalancer controller never copies it into a Service's ingress;
 * - a bad value that is in a store anyway is left out of the rules: the payload the netproxy builds
 *   passes `iptables-restore --test` (parse and check, nothing applied), so the other services'
 *   rules are not stalled, and it holds no injected rule or chain.
 */
import { execFile } from 'node:child_process';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRules } from '../../netproxy/render.js';
import { ProxyStateBuilder } from '../../netproxy/service-state.js';
import { TestControlPlane } from '../helpers/control-plane.js';
import type { Run } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import { FakeNodes } from '../helpers/fake-nodes.js';
import { rawRequest } from '../helpers/https-client.js';

/** Ends the rule at the newline; the rest is a chain and a rule of the attacker's own. */
const INJECT = '10.200.0.50 --dport 80 -j ACCEPT\n:TKX-EVIL - [0:0]\n-A TK-SERVICES -j TKX-EVIL';
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function run(cmd: string, args: readonly string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, [...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

interface Status { kind: string; code: number; reason: string; message: string; details?: { causes?: Array<{ field: string; message: string }> } }

describe('values that reach the kernel', () => {
  const cp = new TestControlPlane();
  let nodes: FakeNodes;
  beforeAll(async () => { await cp.start(); nodes = new FakeNodes(cp); }, 60_000);
  afterAll(async () => { nodes.stop(); await cp.destroy(); });

  const req = (method: string, path: string, body?: unknown, contentType = 'application/json') => rawRequest({
    url: cp.url, token: cp.token, ca: cp.caCert, method, path, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': contentType } } : {}),
  });
  const revision = async () => (await req('GET', '/api/v1/services')).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  const service = (name: string, spec: Record<string, unknown>) =>
    ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } });
  /** The request is refused with 422 Invalid, these causes, and the store unchanged. */
  const refused = async (send: () => ReturnType<typeof req>, causes: Array<[string, string]>) => {
    const before = await revision();
    const res = await send();
    const status = res.json<Status>();
    expect(res.status, res.body).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.details?.causes?.map((c) => [c.field, c.message])).toEqual(causes);
    expect(await revision()).toBe(before);
  };

  it('refuses a Service externalIP with a newline and iptables text, through kubectl too', async () => {
    await refused(() => req('POST', '/api/v1/namespaces/default/services', service('evil', { externalIPs: [INJECT] })),
      [['spec.externalIPs[0]', `Invalid value: ${JSON.stringify(INJECT)}: ${IP_MSG}`]]);
    const r = await cp.kubectl(['create', '-f', cp.manifest('evil.json', JSON.stringify(service('evil', { externalIPs: [INJECT] })))]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Service "evil" is invalid: spec.externalIPs[0]: Invalid value: "10.200.0.50 --dport 80 -j ACCEPT\\n:TKX-EVIL');
    expect((await cp.kubectl(['get', 'service', 'evil'])).stderr).toContain('services "evil" not found');
  });

  it('refuses plain invalid and special IPs, bad LB ingress, EndpointSlice addresses and podCIDRs', async () => {
    await refused(() => req('POST', '/api/v1/namespaces/default/services', service('plain', { externalIPs: ['10.0.0.300', '127.0.0.1'] })), [
      ['spec.externalIPs[0]', `Invalid value: "10.0.0.300": ${IP_MSG}`],
      ['spec.externalIPs[1]', 'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ]);
    expect((await req('POST', '/api/v1/namespaces/default/services', service('lb', { type: 'LoadBalancer' }))).status).toBe(201);
    await refused(() => req('PATCH', '/api/v1/namespaces/default/services/lb/status',
      { status: { loadBalancer: { ingress: [{ ip: INJECT, ipMode: 'VIP' }, { hostname: '10.0.0.1' }] } } }, 'application/merge-patch+json'), [
      ['status.loadBalancer.ingress[0].ip', `Invalid value: ${JSON.stringify(INJECT)}: ${IP_MSG}`],
      ['status.loadBalancer.ingress[1].hostname', 'Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
    ]);
    await refused(() => req('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'evil-1' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.5\n-A X'] }],
    }), [
      ['endpoints[0].addresses[0]', 'Invalid value: "10.244.1.5\\n-A X": must be a valid IPv4 address'],
      ['endpoints[0].addresses[0]', 'Invalid value: "10.244.1.5\\n-A X": must be a valid IP address'],
    ]);
    await refused(() => req('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'badcidr' }, spec: { podCIDR: '10.244.9.0/24 via 1.2.3.4' } }),
      [['spec.podCIDRs[0]', 'Invalid value: "10.244.9.0/24 via 1.2.3.4": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']]);
  });

  it('a node may write any InternalIP (as upstream), the LoadBalancer controller copies only IPv4 ones', async () => {
    await nodes.add({ name: 'vals-a' }, { name: 'vals-b' });
    const ipOf = async (n: string) => cp.k('get', 'node', n, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}');
    const good = await ipOf('vals-a');
    const ingress = async () => cp.k('get', 'service', 'lb', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}');
    await eventually(async () => { expect((await ingress()).split(' ').sort()).toEqual([good, await ipOf('vals-b')].sort()); }, { timeoutMs: 20_000 });

    const patched = await cp.kubectl(['patch', 'node', 'vals-b', '--subresource=status', '--type=merge', '-p',
      JSON.stringify({ status: { addresses: [{ type: 'InternalIP', address: INJECT }, { type: 'Hostname', address: 'vals-b' }] } })]);
    expect(patched.code, patched.stderr).toBe(0);
    expect(await ipOf('vals-b')).toBe(INJECT);
    await eventually(async () => { expect(await ingress()).toBe(good); }, { timeoutMs: 20_000 });
    const svc = JSON.parse(await cp.k('get', 'service', 'lb', '-o', 'json')) as Service;
    expect(JSON.stringify(svc.status)).not.toContain('TKX-EVIL');
  });

  it('a bad value already stored is left out of the rules; the payload passes iptables-restore --test', async () => {
    const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({ metadata: { namespace: 'default', name }, spec, ...(status ? { status } : {}) });
    const slice = (name: string, service: string, addresses: string[]): EndpointSlice => ({
      metadata: { namespace: 'default', name, labels: { 'kubernetes.io/service-name': service } },
      addressType: 'IPv4', ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints: addresses.map((a) => ({ addresses: [a] })),
    });
    const state = new ProxyStateBuilder().build({
      nodeName: 'n1', nodeIPs: [],
      services: [
        svc('good', { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ port: 80 }] }),
        svc('evil', { type: 'LoadBalancer', clusterIP: '10.96.0.30', externalIPs: ['10.0.0.300', INJECT, '10.200.0.99'], ports: [{ port: 80, nodePort: 30012 }] },
          { loadBalancer: { ingress: [{ ip: 'not-an-ip' }, { ip: '10.200.0.11' }] } }),
      ],
      slices: [slice('good-1', 'good', ['10.244.1.2']), slice('evil-1', 'evil', ['10.244.1.300', '10.244.1.3'])],
    });
    const payload = renderRules(state, { masqueradeMark: '0x4000', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' });
    expect(payload).not.toMatch(/TKX-EVIL|10\.0\.0\.300|not-an-ip|10\.244\.1\.300/);
    expect(payload).toContain('-d 10.96.0.20 --dport 80 -j TK-SVC-');
    expect(payload).toContain('-d 10.200.0.99 --dport 80');
    const test = await run('iptables-restore', ['--test', '--noflush'], payload);
    expect(test.code, test.stderr).toBe(0);
    // what the skipped value would have done: one invalid address fails the whole restore
    const stalled = await run('iptables-restore', ['--test', '--noflush'], payload.replaceAll('-d 10.200.0.99 ', '-d 10.0.0.300 '));
    expect(stalled.code).not.toBe(0);
    expect(stalled.stderr).toContain("host/network `10.0.0.300' not found");
  });
});
