import type { Answer, RecordType } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { parseClusterName } from './names.js';
import { MAX_CNAME_CHAIN, resolveQuestion } from './resolver.js';
import type { Resolution } from './resolver.js';
import { FIXTURE_SERVICES, fixtureView } from './testing/dns-fixtures.js';
import type { ServiceObj } from './dns-view.js';

const view = fixtureView();
const ask = (name: string, type: RecordType = 'A'): Resolution => resolveQuestion(view, { name, type, class: 'IN' }, 'cluster.local');
const data = (r: Resolution): unknown[] => (r.outcome === 'answer' ? r.answers.map((a: Answer) => ('data' in a ? a.data : undefined)) : []);
const rcode = (r: Resolution): string => (r.outcome === 'answer' ? r.rcode : 'outside');

describe('parseClusterName', () => {
  it.each([
    ['myapp-service.default.svc.cluster.local.', { kind: 'service', ns: 'default', svc: 'myapp-service' }],
    ['MyApp-Service.Default.SVC.cluster.local', { kind: 'service', ns: 'default', svc: 'myapp-service' }],
    ['db-0.db.default.svc.cluster.local', { kind: 'endpoint', ns: 'default', svc: 'db', host: 'db-0' }],
    ['_http._tcp.myapp-service.default.svc.cluster.local', { kind: 'srv', ns: 'default', svc: 'myapp-service', port: 'http', proto: 'tcp' }],
    ['10-244-1-5.default.pod.cluster.local', { kind: 'pod', ns: 'default', ip: '10.244.1.5' }],
    ['default.svc.cluster.local', { kind: 'namespace', ns: 'default' }],
    ['svc.cluster.local', { kind: 'apex', zoneApex: false }],
    ['cluster.local', { kind: 'apex', zoneApex: true }],
    ['5.5.96.10.in-addr.arpa', { kind: 'reverse', ip: '10.96.5.5' }],
    ['example.com', { kind: 'outside' }],
    ['notcluster.local', { kind: 'outside' }],
    ['foo.cluster.local', { kind: 'unknown' }],
    ['a.b.c.d.default.svc.cluster.local', { kind: 'unknown' }],
    ['10-244-1-999.default.pod.cluster.local', { kind: 'unknown' }],
  ])('%s', (name, want) => {
    expect(parseClusterName(name, 'cluster.local')).toEqual(want);
  });
});

describe('resolveQuestion', () => {
  it('answers a ClusterIP service with its ClusterIP, TTL 5, the question name as asked', () => {
    const r = ask('MyApp-Service.default.svc.cluster.local');
    expect(r).toMatchObject({ outcome: 'answer', rcode: 'NOERROR', answers: [{ type: 'A', name: 'MyApp-Service.default.svc.cluster.local', ttl: 5, data: '10.96.5.5' }] });
  });

  it('answers a headless service with its ready endpoints only', () => {
    expect(data(ask('db.default.svc.cluster.local')).sort()).toEqual(['10.244.1.5', '10.244.2.6']);
    expect(data(ask('db-0.db.default.svc.cluster.local'))).toEqual(['10.244.1.5']);
    expect(data(ask('10-244-2-6.db.default.svc.cluster.local'))).toEqual(['10.244.2.6']);
    expect(rcode(ask('10-244-3-7.db.default.svc.cluster.local'))).toBe('NXDOMAIN');
    expect(rcode(ask('lonely.default.svc.cluster.local'))).toBe('NXDOMAIN');
  });

  it('answers SRV for named ports: ClusterIP → the service name, headless → each endpoint', () => {
    const r = ask('_http._tcp.myapp-service.default.svc.cluster.local', 'SRV');
    expect(r).toMatchObject({ rcode: 'NOERROR', answers: [{ type: 'SRV', data: { port: 80, priority: 0, target: 'myapp-service.default.svc.cluster.local' } }],
      additionals: [{ type: 'A', name: 'myapp-service.default.svc.cluster.local', data: '10.96.5.5' }] });
    expect(data(ask('_dns._udp.myapp-service.default.svc.cluster.local', 'SRV'))).toMatchObject([{ port: 53 }]);
    expect(rcode(ask('_dns._tcp.myapp-service.default.svc.cluster.local', 'SRV'))).toBe('NXDOMAIN');
    expect(rcode(ask('_nope._tcp.myapp-service.default.svc.cluster.local', 'SRV'))).toBe('NXDOMAIN');
    const h = ask('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    expect(data(h)).toEqual([
      { priority: 0, weight: 50, port: 5433, target: 'db-0.db.default.svc.cluster.local' },
      { priority: 0, weight: 50, port: 5433, target: '10-244-2-6.db.default.svc.cluster.local' },
    ]);
    expect(h.outcome === 'answer' && h.additionals.map((a) => a.name)).toEqual(['db-0.db.default.svc.cluster.local', '10-244-2-6.db.default.svc.cluster.local']);
    expect(data(ask('myapp-service.default.svc.cluster.local', 'SRV'))).toHaveLength(2);
  });

  it('answers pod names, ExternalName as CNAME, and PTR for ClusterIPs and headless endpoints', () => {
    expect(data(ask('10-244-7-8.anything.pod.cluster.local'))).toEqual(['10.244.7.8']);
    expect(ask('ext.default.svc.cluster.local')).toMatchObject({ answers: [{ type: 'CNAME', data: 'example.com' }] });
    expect(data(ask('5.5.96.10.in-addr.arpa', 'PTR'))).toEqual(['myapp-service.default.svc.cluster.local']);
    expect(data(ask('5.1.244.10.in-addr.arpa', 'PTR'))).toEqual(['db-0.db.default.svc.cluster.local']);
    expect(rcode(ask('9.1.244.10.in-addr.arpa', 'PTR'))).toBe('outside'); // a ClusterIP service's endpoint has no PTR
  });

  it('NXDOMAIN for unknown names in the zone, NODATA (with SOA) for other types, outside for the rest', () => {
    for (const n of ['nope.default.svc.cluster.local', 'myapp-service.nope.svc.cluster.local', 'foo.cluster.local',
      'myapp-service.default.svc.cluster.local.default.svc.cluster.local', 'nope.svc.cluster.local']) {
      expect(ask(n)).toMatchObject({ rcode: 'NXDOMAIN', answers: [], authorities: [{ type: 'SOA', name: 'cluster.local' }] });
    }
    expect(ask('myapp-service.default.svc.cluster.local', 'AAAA')).toMatchObject({ rcode: 'NOERROR', answers: [], authorities: [{ type: 'SOA' }] });
    expect(ask('default.svc.cluster.local')).toMatchObject({ rcode: 'NOERROR', answers: [] });
    expect(ask('cluster.local', 'SOA')).toMatchObject({ rcode: 'NOERROR', answers: [{ type: 'SOA', data: { minimum: 5 } }] });
    expect(rcode(ask('example.com'))).toBe('outside');
    expect(rcode(ask('myapp-service'))).toBe('outside');
  });

  it('follows an ExternalName CNAME chain inside the zone for A, hands an outside target to the caller', () => {
    const ext = (name: string, externalName: string): ServiceObj => ({ metadata: { namespace: 'default', name }, spec: { type: 'ExternalName', externalName } });
    const v = fixtureView([...FIXTURE_SERVICES, ext('alias', 'myapp-service.default.svc.cluster.local.'), ext('alias2', 'Alias.default.svc.cluster.local'),
      ext('loop-a', 'loop-b.default.svc.cluster.local'), ext('loop-b', 'loop-a.default.svc.cluster.local'),
      ext('dangling', 'nope.default.svc.cluster.local'), ext('out', 'alias3.default.svc.cluster.local'), ext('alias3', 'db.example.com')]);
    const askV = (name: string, type: RecordType = 'A'): Resolution => resolveQuestion(v, { name, type, class: 'IN' }, 'cluster.local');
    expect(askV('alias2.default.svc.cluster.local')).toMatchObject({ rcode: 'NOERROR', authorities: [], answers: [
      { type: 'CNAME', name: 'alias2.default.svc.cluster.local', data: 'alias.default.svc.cluster.local' },
      { type: 'CNAME', name: 'alias.default.svc.cluster.local', data: 'myapp-service.default.svc.cluster.local' },
      { type: 'A', name: 'myapp-service.default.svc.cluster.local', data: '10.96.5.5' }] });
    expect(askV('alias.default.svc.cluster.local', 'CNAME')).toMatchObject({ answers: [{ type: 'CNAME' }] });
    expect((askV('alias.default.svc.cluster.local', 'CNAME') as { answers: unknown[] }).answers).toHaveLength(1);
    expect(askV('alias.default.svc.cluster.local', 'AAAA')).toMatchObject({ rcode: 'NOERROR', answers: [{ type: 'CNAME' }] });
    const loop = askV('loop-a.default.svc.cluster.local');
    expect(loop).toMatchObject({ rcode: 'NOERROR' });
    expect((loop as { answers: unknown[] }).answers).toHaveLength(MAX_CNAME_CHAIN);
    expect(askV('dangling.default.svc.cluster.local')).toMatchObject({ rcode: 'NOERROR', answers: [{ type: 'CNAME', data: 'nope.default.svc.cluster.local' }] });
    expect((askV('dangling.default.svc.cluster.local') as { answers: unknown[] }).answers).toHaveLength(1);
    const out = askV('out.default.svc.cluster.local');
    expect(out).toMatchObject({ cnameTarget: 'db.example.com', answers: [{ data: 'alias3.default.svc.cluster.local' }, { data: 'db.example.com' }] });
    expect(ask('ext.default.svc.cluster.local')).toMatchObject({ cnameTarget: 'example.com' });
  });
});
