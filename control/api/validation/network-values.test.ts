import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults/apply-defaults.js';
import type { FieldError } from '../status.js';
import { isIP } from './names.js';
import { validate } from './validate.js';

type O = Record<string, unknown>;

const prep = (kind: string, obj: O): O => { const o = structuredClone(obj); applyDefaults(kind, o); return o; };
const check = (kind: string, obj: O, old?: O): string[] =>
  validate(kind, prep(kind, obj), old ? prep(kind, old) : undefined).map((e: FieldError) => `${e.field}: ${e.message}`);

const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const INJECT = '10.0.0.1\n-A TK-SERVICES -j ACCEPT';
const svc = (spec: O, status?: O): O =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec }, ...(status ? { status } : {}) });

describe('IP literals', () => {
  it.each<[string, boolean]>([
    ['10.1.2.3', true], ['::1', true], ['::', true], ['2001:db8::ffff', true], ['::ffff:1.2.3.4', true], ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:1.2.3.4', true], ['1.2.3.4::', false], [':1::', false], ['1::2::3', false], ['1:2:3:4:5:6:7:8:9', false],
    ['010.1.1.1', false], ['1.2.3.4\n', false], [' ::1', false], [INJECT, false], ['10.0.0', false],
  ])('%j is an IP: %s', (v, want) => { expect(isIP(v)).toBe(want); });
});

describe('Service IPs', () => {
  it.each<[string, O, string[]]>([
    ['external IP with a newline and rules', svc({ externalIPs: [INJECT] }), [`spec.externalIPs[0]: Invalid value: ${JSON.stringify(INJECT)}: ${IP_MSG}`]],
    ['external IP not an IP', svc({ externalIPs: ['10.0.0.1', 'nope'] }), [`spec.externalIPs[1]: Invalid value: "nope": ${IP_MSG}`]],
    ['external IP special', svc({ externalIPs: ['0.0.0.0', '127.0.0.2', '169.254.1.1', '224.0.0.5', '::1', 'fe80::1', 'ff02::1'] }), [
      'spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
      'spec.externalIPs[1]: Invalid value: "127.0.0.2": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[2]: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'spec.externalIPs[3]: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
      'spec.externalIPs[4]: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[5]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'spec.externalIPs[6]: Invalid value: "ff02::1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]],
    ['external IPs fine', svc({ externalIPs: ['192.168.10.5', '2001:db8::5'] }), []],
    // upstream 1.32 does not validate spec.loadBalancerIP (it only warns); nothing renders it
    ['loadBalancerIP not validated', svc({ type: 'LoadBalancer', loadBalancerIP: 'anything' }), []],
  ])('%s', (_n, obj, want) => { expect(check('Service', obj)).toEqual(want); });

  const lb = (ingress: O[]): O => svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress } });
  it.each<[string, O, string[]]>([
    ['ingress ip injected', lb([{ ip: INJECT, ipMode: 'VIP' }]), [`status.loadBalancer.ingress[0].ip: Invalid value: ${JSON.stringify(INJECT)}: ${IP_MSG}`]],
    ['ingress hostname an IP', lb([{ hostname: '10.0.0.1' }]), ['status.loadBalancer.ingress[0].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']],
    ['ingress hostname not DNS', lb([{ hostname: 'a b' }]), [expect.stringMatching(/^status\.loadBalancer\.ingress\[0\]\.hostname: Invalid value: "a b": a lowercase RFC 1123 subdomain/) as unknown as string]],
    ['ipMode without ip', lb([{ hostname: 'lb.example.com', ipMode: 'VIP' }]), ['status.loadBalancer.ingress[0].ipMode: Forbidden: may not be specified when `ip` is not set']],
    ['ipMode unknown', lb([{ ip: '10.0.0.1', ipMode: 'Magic' }]), ['status.loadBalancer.ingress[0].ipMode: Unsupported value: "Magic": supported values: "Proxy", "VIP"']],
    ['valid ingress', lb([{ ip: '10.0.0.1', ipMode: 'VIP' }, { hostname: 'lb.example.com' }]), []],
  ])('status: %s', (_n, next, want) => { expect(check('Service', next, lb([]))).toEqual(want); });

  it('status.loadBalancer only on LoadBalancer services, checked when it changes', () => {
    const cluster = svc({}, { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } });
    expect(check('Service', cluster, svc({}))).toEqual(["status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'"]);
    // a main update carries the stored status: a type change away from LoadBalancer is not refused for it
    expect(check('Service', cluster, svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } }))).toEqual([]);
  });
});

describe('Endpoints and EndpointSlice addresses', () => {
  const ep = (ip: string): O => ({ metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip }], ports: [{ port: 80, protocol: 'TCP' }] }] });
  const slice = (addressType: string, addresses: string[]): O => ({ metadata: { name: 'web-1', namespace: 'default' }, addressType, endpoints: [{ addresses }] });

  it.each<[string, O, string[]]>([
    ['endpoints injected', ep(INJECT), [
      `subsets[0].addresses[0].ip: Invalid value: ${JSON.stringify(INJECT)}: ${IP_MSG}`,
      `subsets[0].addresses[0].ip: Invalid value: ${JSON.stringify(INJECT)}: must be a valid IP address`]],
    ['endpoints link-local', ep('169.254.169.254'), ['subsets[0].addresses[0].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)']],
    ['endpoints ok', ep('10.244.1.5'), []],
  ])('Endpoints: %s', (_n, obj, want) => { expect(check('Endpoints', obj)).toEqual(want); });

  it.each<[string, O, string[]]>([
    ['IPv4 injected', slice('IPv4', [INJECT]), [
      `endpoints[0].addresses[0]: Invalid value: ${JSON.stringify(INJECT)}: must be a valid IPv4 address`,
      `endpoints[0].addresses[0]: Invalid value: ${JSON.stringify(INJECT)}: must be a valid IP address`]],
    ['IPv4 given IPv6', slice('IPv4', ['2001:db8::1']), ['endpoints[0].addresses[0]: Invalid value: "2001:db8::1": must be a valid IPv4 address']],
    ['IPv6 given IPv4', slice('IPv6', ['10.0.0.1']), ['endpoints[0].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address']],
    ['IPv4 loopback', slice('IPv4', ['127.0.0.1']), ['endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['FQDN one label', slice('FQDN', ['web']), ['endpoints[0].addresses[0]: Invalid value: "web": should be a domain with at least two segments separated by dots']],
    ['FQDN ok', slice('FQDN', ['web.example.com.']), []],
    ['IPv4 ok', slice('IPv4', ['10.244.1.5']), []],
  ])('EndpointSlice: %s', (_n, obj, want) => { expect(check('EndpointSlice', obj)).toEqual(want); });
});

describe('Node', () => {
  const node = (spec: O = {}, status: O = {}): O => ({ metadata: { name: 'n1' }, spec, status });
  const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

  it.each<[string, O, string[]]>([
    ['podCIDRs not CIDRs', node({ podCIDRs: ['10.244.1.0/24\n', '10.244.1.0'] }), [
      `spec.podCIDRs[0]: Invalid value: "10.244.1.0/24\\n": ${CIDR_MSG}`, `spec.podCIDRs[1]: Invalid value: "10.244.1.0": ${CIDR_MSG}`,
      'spec.podCIDRs: Invalid value: []string{"10.244.1.0/24\\n", "10.244.1.0"}: may specify no more than one CIDR for each IP family']],
    ['podCIDR alone', node({ podCIDR: '10.244.1.0/33' }), [`spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": ${CIDR_MSG}`]],
    ['two IPv4 podCIDRs', node({ podCIDRs: ['10.244.1.0/24', '10.244.1.0/24'] }), [
      'spec.podCIDRs: Invalid value: []string{"10.244.1.0/24", "10.244.1.0/24"}: may specify no more than one CIDR for each IP family',
      'spec.podCIDRs[1]: Duplicate value: "10.244.1.0/24"']],
    ['dual stack', node({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'] }), []],
    // upstream validates no address values: they are checked where they are used
    ['address values are not validated', node({}, { addresses: [{ type: 'InternalIP', address: INJECT }] }), []],
  ])('%s', (_n, obj, want) => { expect(check('Node', obj)).toEqual(want); });

  it('podCIDR is immutable once set; addresses may not repeat', () => {
    const old = node({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    expect(check('Node', node({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }), node())).toEqual([]);
    expect(check('Node', node({ podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] }), old))
      .toEqual(['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
    const twice = { type: 'InternalIP', address: '10.0.0.1' };
    expect(check('Node', node(old['spec'] as O, { addresses: [twice, twice] }), old))
      .toEqual(['status.addresses[1]: Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"10.0.0.1"}']);
  });
});
