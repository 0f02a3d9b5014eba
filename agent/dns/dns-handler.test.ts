import { RECURSION_DESIRED, decode, encode } from 'dns-packet';
import type { Packet, RecordType } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../control/util/log.js';
import { createDnsHandler } from './dns-handler.js';
import type { DnsHandlerOptions } from './dns-handler.js';
import { fixtureView } from './testing/dns-fixtures.js';
import type { ServiceObj, SliceObj } from './dns-view.js';

const query = (name: string, type: RecordType = 'A', extra: Partial<Packet> = {}): Buffer =>
  encode({ type: 'query', id: 4242, flags: RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }], ...extra });

async function ask(name: string, type: RecordType = 'A', o: Partial<DnsHandlerOptions> = {}, extra: Partial<Packet> = {}, transport: 'udp' | 'tcp' = 'udp') {
  const h = createDnsHandler({ view: fixtureView(), log: silentLogger(), ...o });
  const out = await h(query(name, type, extra), transport);
  if (!out) throw new Error('no answer');
  return { buf: out, ...(decode(out) as ReturnType<typeof decode> & { rcode: string }) };
}

describe('createDnsHandler', () => {
  it('answers A for a service: id echoed, QR+AA+RD+RA, TTL 5', async () => {
    const r = await ask('myapp-service.default.svc.cluster.local');
    expect(r).toMatchObject({ id: 4242, type: 'response', rcode: 'NOERROR', flag_aa: true, flag_rd: true, flag_ra: true,
      questions: [{ name: 'myapp-service.default.svc.cluster.local', type: 'A' }],
      answers: [{ type: 'A', name: 'myapp-service.default.svc.cluster.local', ttl: 5, data: '10.96.5.5' }] });
  });

  it('answers SRV with additional A records, NXDOMAIN with SOA, NODATA for AAAA', async () => {
    const srv = await ask('_http._tcp.myapp-service.default.svc.cluster.local', 'SRV');
    expect(srv.answers).toMatchObject([{ type: 'SRV', data: { port: 80, target: 'myapp-service.default.svc.cluster.local' } }]);
    expect(srv.additionals).toMatchObject([{ type: 'A', data: '10.96.5.5' }]);
    const nx = await ask('nope.default.svc.cluster.local');
    expect(nx).toMatchObject({ rcode: 'NXDOMAIN', answers: [], authorities: [{ type: 'SOA', name: 'cluster.local' }] });
    const nodata = await ask('myapp-service.default.svc.cluster.local', 'AAAA');
    expect(nodata).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('search-path expansion of an external name: NXDOMAIN inside the zone, SERVFAIL outside, both at once', async () => {
    const started = Date.now();
    expect((await ask('example.com.default.svc.cluster.local')).rcode).toBe('NXDOMAIN');
    expect((await ask('example.com.cluster.local')).rcode).toBe('NXDOMAIN');
    const out = await ask('example.com');
    expect(out).toMatchObject({ rcode: 'SERVFAIL', flag_aa: false, answers: [] });
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('forwards outside names when a forwarder is given, SERVFAIL when it fails', async () => {
    const seen: Buffer[] = [];
    const forward = async (q: Buffer) => {
      seen.push(q);
      const p = decode(q);
      return encode({ type: 'response', id: p.id, flags: 0, questions: p.questions, answers: [{ type: 'A', name: 'example.com', ttl: 60, data: '192.0.2.7' }] });
    };
    expect((await ask('example.com', 'A', { forward })).answers).toMatchObject([{ data: '192.0.2.7' }]);
    expect(seen).toHaveLength(1);
    expect((await ask('cluster.local', 'SOA', { forward })).answers).toMatchObject([{ type: 'SOA' }]);
    expect(seen).toHaveLength(1);
    expect((await ask('example.com', 'A', { forward: async () => undefined })).rcode).toBe('SERVFAIL');
  });

  it('appends what the forwarder answers for an ExternalName target outside the zone', async () => {
    const asked: string[] = [];
    const forward = async (q: Buffer) => {
      const p = decode(q);
      asked.push(`${p.questions?.[0]?.name} ${p.questions?.[0]?.type}`);
      return encode({ type: 'response', id: p.id, flags: 0, questions: p.questions, answers: [{ type: 'A', name: 'example.com', ttl: 60, data: '192.0.2.7' }] });
    };
    const r = await ask('ext.default.svc.cluster.local', 'A', { forward });
    expect(r).toMatchObject({ rcode: 'NOERROR', flag_aa: true, answers: [{ type: 'CNAME', data: 'example.com' }, { type: 'A', name: 'example.com', data: '192.0.2.7' }] });
    expect(asked).toEqual(['example.com A']);
    const wrongId = async (q: Buffer) => encode({ type: 'response', id: (decode(q).id ?? 0) ^ 1, answers: [{ type: 'A', name: 'example.com', data: '192.0.2.8' }] });
    for (const f of [wrongId, async () => undefined, async () => Buffer.from([1, 2, 3])]) {
      expect((await ask('ext.default.svc.cluster.local', 'A', { forward: f })).answers).toMatchObject([{ type: 'CNAME', data: 'example.com' }]);
    }
    expect((await ask('ext.default.svc.cluster.local', 'A')).answers).toHaveLength(1);
  });

  it('SERVFAIL for cluster names until the caches have synced', async () => {
    expect((await ask('myapp-service.default.svc.cluster.local', 'A', { ready: () => false })).rcode).toBe('SERVFAIL');
  });

  it('FORMERR for garbage with a header, nothing for shorter garbage or responses', async () => {
    const h = createDnsHandler({ view: fixtureView(), log: silentLogger() });
    const bad = Buffer.from([0x12, 0x34, 1, 0, 0, 5, 0, 0, 0, 0, 0, 0, 1]);
    const out = await h(bad, 'udp');
    expect(out && decode(out)).toMatchObject({ id: 0x1234, rcode: 'FORMERR' });
    expect(await h(Buffer.from([1, 2, 3]), 'udp')).toBeUndefined();
    expect(await h(encode({ type: 'response', id: 1, questions: [] }), 'udp')).toBeUndefined();
    const two = encode({ type: 'query', id: 7, questions: [{ type: 'A', name: 'a.cluster.local' }, { type: 'A', name: 'b.cluster.local' }] });
    expect(decode((await h(two, 'udp'))!)).toMatchObject({ id: 7, rcode: 'FORMERR' });
  });

  it('echoes EDNS and truncates big UDP answers (TC), which TCP then carries whole', async () => {
    const slice = (svc: string, n: number): SliceObj => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { namespace: 'default', name: `${svc}-1`, labels: { 'kubernetes.io/service-name': svc } },
      endpoints: Array.from({ length: n }, (_, i) => ({ addresses: [`10.244.9.${i + 1}`], conditions: { ready: true } })) });
    const headless = (name: string): ServiceObj => ({ metadata: { namespace: 'default', name }, spec: { clusterIP: 'None' } });
    const view = fixtureView([headless('mid'), headless('big')], [slice('mid', 20), slice('big', 120)]);
    const opt = { additionals: [{ type: 'OPT' as const, name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] };
    const udp = await ask('mid.default.svc.cluster.local', 'A', { view });
    expect(udp).toMatchObject({ flag_tc: true, answers: [] });
    expect(udp.buf.length).toBeLessThanOrEqual(512);
    const edns = await ask('mid.default.svc.cluster.local', 'A', { view }, opt);
    expect(edns).toMatchObject({ flag_tc: false, additionals: [{ type: 'OPT' }] });
    expect(edns.answers).toHaveLength(20);
    expect((await ask('big.default.svc.cluster.local', 'A', { view }, opt)).flag_tc).toBe(true);
    expect((await ask('big.default.svc.cluster.local', 'A', { view }, {}, 'tcp')).answers).toHaveLength(120);
  });
});
