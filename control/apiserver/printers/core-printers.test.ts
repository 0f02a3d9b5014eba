import { describe, expect, it } from 'vitest';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from './kube-object.js';
import { configMapPrinter, defaultPrinter, eventPrinter, leasePrinter, namespacePrinter, secretPrinter } from './core-printers.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const ctx = { now: NOW };
const asObj = (o: object): KubeObject => o as KubeObject;
const meta = { name: 'x', creationTimestamp: '2024-01-01T11:59:30Z' };

describe('simple core printers', () => {
  it('namespace: status phase', () => {
    expect(namespacePrinter.row(asObj({ metadata: meta, status: { phase: 'Active' } }), ctx).cells).toEqual(['x', 'Active', '30s']);
  });
  it('configmap: data + binaryData count as an integer', () => {
    expect(configMapPrinter.row(asObj({ metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ctx).cells).toEqual(['x', 3, '30s']);
    expect(configMapPrinter.row(asObj({ metadata: meta }), ctx).cells).toEqual(['x', 0, '30s']);
  });
  it('secret: type and data count', () => {
    expect(secretPrinter.row(asObj({ metadata: meta, type: 'Opaque', data: { k: 'dg==' } }), ctx).cells).toEqual(['x', 'Opaque', 1, '30s']);
  });
  it('lease: holder, empty when unheld', () => {
    expect(leasePrinter.row(asObj({ metadata: meta, spec: { holderIdentity: 'node1' } }), ctx).cells).toEqual(['x', 'node1', '30s']);
    expect(leasePrinter.row(asObj({ metadata: meta, spec: {} }), ctx).cells).toEqual(['x', '', '30s']);
  });
  it('default: name and age', () => {
    expect(defaultPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(defaultPrinter.row(asObj({ metadata: meta }), ctx).cells).toEqual(['x', '30s']);
  });
});

describe('eventPrinter', () => {
  const base: Event = {
    metadata: { name: 'web.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled', type: 'Normal', message: ' Successfully pulled image\n',
    source: { component: 'kubelet', host: 'node1' },
    firstTimestamp: '2024-01-01T11:50:00Z', lastTimestamp: '2024-01-01T11:58:00Z', count: 3,
  };

  it('has upstream columns and priorities', () => {
    expect(eventPrinter.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1',
    ]);
  });

  it('prints a core event', () => {
    expect(eventPrinter.row(asObj(base), ctx).cells).toEqual(
      ['2m', 'Normal', 'Pulled', 'pod/web', 'spec.containers{nginx}', 'kubelet, node1', 'Successfully pulled image', '10m', 3, 'web.17a']);
  });

  it('falls back to eventTime, reporting fields, and count 1', () => {
    const ev: Event = {
      metadata: { name: 'e' }, involvedObject: { kind: 'Node' }, eventTime: '2024-01-01T11:59:00.000000Z',
      reportingComponent: 'scheduler', reason: 'R', type: 'Warning', message: 'm',
    };
    expect(eventPrinter.row(asObj(ev), ctx).cells).toEqual(['60s', 'Warning', 'R', 'node', '', 'scheduler', 'm', '60s', 1, 'e']);
  });

  it('uses the series for last seen and count', () => {
    const ev: Event = { ...base, series: { count: 7, lastObservedTime: '2024-01-01T11:59:50.000000Z' } };
    const cells = eventPrinter.row(asObj(ev), ctx).cells;
    expect([cells[0], cells[8]]).toEqual(['10s', 7]);
  });
});
