import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { ingressClassPrinter, ingressPrinter, podTemplatePrinter, runtimeClassPrinter } from './more-kinds-printers.js';

const ctx = { now: new Date('2024-01-01T12:00:00Z') };
const metadata = { name: 'x', creationTimestamp: '2024-01-01T11:59:30Z' };
const row = (p: { row: (o: KubeObject, c: typeof ctx) => { cells: unknown[] } }, o: object): unknown[] => p.row({ metadata, ...o } as KubeObject, ctx).cells;

describe('podTemplatePrinter', () => {
  it('is NAME CONTAINERS IMAGES POD LABELS', () => {
    expect(podTemplatePrinter.columns.map((c) => c.name)).toEqual(['Name', 'Containers', 'Images', 'Pod Labels']);
    const template = { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'c1', image: 'i1' }, { name: 'c2', image: 'i2' }] } };
    expect(row(podTemplatePrinter, { template })).toEqual(['x', 'c1,c2', 'i1,i2', 'a=1,b=2']);
    expect(row(podTemplatePrinter, { template: { spec: { containers: [] } } })).toEqual(['x', '', '', '<none>']);
  });
});

describe('ingressPrinter', () => {
  it('is NAME CLASS HOSTS ADDRESS PORTS AGE', () => {
    expect(ingressPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
    expect(row(ingressPrinter, { spec: { defaultBackend: {} } })).toEqual(['x', '<none>', '*', '', '80', '30s']);
  });

  it('shows three hosts and how many more, sorted distinct addresses cut to 16, 443 with TLS', () => {
    const rules = ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.example.com` }));
    const status = { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.1' }] } };
    expect(row(ingressPrinter, { spec: { ingressClassName: 'nginx', rules, tls: [{}] }, status })).toEqual([
      'x', 'nginx', 'a.example.com,b.example.com,c.example.com + 2 more...', '10.0.0.1,10.0...', '80, 443', '30s',
    ]);
  });
});

describe('ingressClassPrinter and runtimeClassPrinter', () => {
  it('print the controller and parameters as <kind>.<group>/<name>', () => {
    const spec = { controller: 'example.com/c', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' } };
    expect(row(ingressClassPrinter, { spec })).toEqual(['x', 'example.com/c', 'Params.k8s.example.com/p', '30s']);
    expect(row(ingressClassPrinter, { spec: { controller: 'example.com/c' } })).toEqual(['x', 'example.com/c', '<none>', '30s']);
  });

  it('prints the handler', () => {
    expect(runtimeClassPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Handler', 'Age']);
    expect(row(runtimeClassPrinter, { handler: 'runc' })).toEqual(['x', 'runc', '30s']);
  });
});
