import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { printTable } from './print-table.js';
import { tableWatchEvent } from './table-watch-event.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const metadata = {
  name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '42', creationTimestamp: '2024-01-01T11:59:00Z',
  labels: { app: 'web' }, annotations: { a: 'b' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u0' }],
};
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Pending' } };

describe('printTable', () => {
  it('renders a meta.k8s.io/v1 Table with PartialObjectMetadata rows', () => {
    const t = printTable('Pod', [pod], { now: NOW, includeObject: 'Metadata', resourceVersion: '100' });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '100' });
    expect(t.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(t.rows).toEqual([{
      cells: ['web', '0/1', 'Pending', '0', '60s', '<none>', '<none>', '<none>', '<none>'],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata },
    }]);
  });

  it('carries the full object for includeObject=Object and nothing for None', () => {
    expect(printTable('Pod', [pod], { now: NOW, includeObject: 'Object' }).rows[0]?.object).toBe(pod);
    expect(printTable('Pod', [pod], { now: NOW, includeObject: 'None' }).rows[0]).not.toHaveProperty('object');
  });

  it('fills in kind and apiVersion of a full object that lacks them', () => {
    const bare: KubeObject = { metadata: { name: 'd' }, spec: {} };
    expect(printTable('Deployment', [bare], { now: NOW, includeObject: 'Object' }).rows[0]?.object)
      .toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'd' } });
  });

  it('sets continue and omits columns on request', () => {
    const t = printTable('ConfigMap', [], { now: NOW, includeObject: 'Metadata', resourceVersion: '7', continueToken: 'abc', withColumns: false });
    expect(t.metadata).toEqual({ resourceVersion: '7', continue: 'abc' });
    expect(t).not.toHaveProperty('columnDefinitions');
    expect(t.rows).toEqual([]);
  });

  it('uses Name/Age for kinds without a printer', () => {
    const t = printTable('Widget', [{ metadata: { name: 'w', creationTimestamp: '2024-01-01T11:00:00Z' } }], { now: NOW, includeObject: 'None' });
    expect(t.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(t.rows[0]?.cells).toEqual(['w', '60m']);
  });

  it('serializes to the JSON kubectl expects', () => {
    const json = JSON.parse(JSON.stringify(printTable('Namespace', [{ metadata: { name: 'default' }, status: { phase: 'Active' } }], { now: NOW, includeObject: 'None', resourceVersion: '1' })));
    expect(json.columnDefinitions[0]).toEqual({ name: 'Name', type: 'string', format: 'name', description: expect.any(String), priority: 0 });
    expect(json.rows[0]).toEqual({ cells: ['default', 'Active', '<unknown>'] });
  });
});

describe('tableWatchEvent', () => {
  it('wraps a one-row Table at the object resourceVersion', () => {
    const ev = tableWatchEvent('MODIFIED', 'Pod', pod, { now: NOW, includeObject: 'Metadata', withColumns: false });
    expect(ev.type).toBe('MODIFIED');
    expect(ev.object.metadata).toEqual({ resourceVersion: '42' });
    expect(ev.object).not.toHaveProperty('columnDefinitions');
    expect(ev.object.rows).toHaveLength(1);
    expect(ev.object.rows[0]?.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'web' } });
  });
  it('includes columns when asked (first event)', () => {
    const ev = tableWatchEvent('ADDED', 'Pod', pod, { now: NOW, includeObject: 'Metadata', withColumns: true });
    expect(ev.object.columnDefinitions).toHaveLength(9);
  });
});
