import type { Node } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import type { ParsedCsr } from '../../pki/csr.js';
import { canonicalIp, servingSansError } from './serving-sans.js';

const req = (dnsNames: string[], ipAddresses: string[]): ParsedCsr =>
  ({ commonName: 'system:node:w1', organizations: ['system:nodes'], dnsNames, ipAddresses, emailAddresses: [], uris: [] } as unknown as ParsedCsr);

const node: Node = {
  metadata: { name: 'w1' },
  status: { addresses: [
    { type: 'InternalIP', address: '10.0.0.7' }, { type: 'ExternalIP', address: '2001:DB8::0:7' },
    { type: 'Hostname', address: 'w1.lan' }, { type: 'InternalDNS', address: 'w1.internal' },
  ] },
};
const facts = { node, apiServerServiceIps: ['10.96.0.1', 'fd00::1'] };

describe('servingSansError', () => {
  it.each<[string, string[], string[], string | undefined]>([
    ['its name and InternalIP', ['w1'], ['10.0.0.7'], undefined],
    ['its Hostname, InternalDNS and ExternalIP in another spelling', ['w1.lan', 'W1.internal'], ['2001:db8::7'], undefined],
    ['only an IP', [], ['10.0.0.7'], undefined],
    ['another node\'s address', ['w1'], ['10.0.0.8'], 'IP subjectAltName "10.0.0.8" is not an address of node "w1"'],
    ['another name', ['w2'], [], 'DNS subjectAltName "w2" is not an address of node "w1"'],
    ['kubernetes.default.svc', ['kubernetes.default.svc'], [], 'DNS subjectAltName "kubernetes.default.svc" is a name of the API server'],
    ['kubernetes.default.svc.cluster.local', ['w1', 'kubernetes.default.svc.cluster.local'], [], 'DNS subjectAltName "kubernetes.default.svc.cluster.local" is a name of the API server'],
    ['kubernetes', ['kubernetes'], [], 'DNS subjectAltName "kubernetes" is a name of the API server'],
    ['the kubernetes Service IP', [], ['10.96.0.1'], 'IP subjectAltName "10.96.0.1" is an address of the API server'],
    ['the kubernetes Service IPv6', [], ['fd00:0::1'], 'IP subjectAltName "fd00:0::1" is an address of the API server'],
  ])('%s', (_n, dns, ips, want) => {
    expect(servingSansError(req(dns, ips), 'w1', facts)).toBe(want);
  });

  it('an address the node reports is not enough when it is the API server\'s Service IP', () => {
    const lying: Node = { metadata: { name: 'w1' }, status: { addresses: [{ type: 'InternalIP', address: '10.96.0.1' }, { type: 'Hostname', address: 'kubernetes.default.svc' }] } };
    expect(servingSansError(req([], ['10.96.0.1']), 'w1', { ...facts, node: lying })).toMatch(/is an address of the API server/);
    expect(servingSansError(req(['kubernetes.default.svc'], []), 'w1', { ...facts, node: lying })).toMatch(/is a name of the API server/);
  });

  it('waits for the Node: nothing is the node\'s before it registered', () => {
    expect(servingSansError(req(['w1'], []), 'w1', { node: undefined, apiServerServiceIps: [] })).toBe('node "w1" is not registered');
  });

  it('canonicalIp spells each address once', () => {
    expect(canonicalIp('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIp('nope')).toBe('');
  });
});
