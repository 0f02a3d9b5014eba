import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { RESOURCES } from '../../api/resources.js';
import { viewEdge } from './view-edge.js';

const eventsV1 = RESOURCES.find((r) => r.group === 'events.k8s.io' && r.resource === 'events')!;
const pods = RESOURCES.find((r) => r.resource === 'pods')!;
const stored = {
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'ns', resourceVersion: '5' }, message: 'hello',
  involvedObject: { namespace: 'ns' }, eventTime: '2017-09-19T13:49:16.000000Z', reportingComponent: 'c', reportingInstance: 'i',
  action: 'Do', reason: 'Test', type: 'Normal',
} as KubeObject;

describe('viewEdge', () => {
  it('is the identity for an ordinary resource', () => {
    const edge = viewEdge(pods, { fieldSelector: 'spec.nodeName=n1' });
    expect(edge.ri).toBe(pods);
    expect(edge.query).toEqual({ fieldSelector: 'spec.nodeName=n1' });
    const pod = { apiVersion: 'v1', kind: 'Pod' } as KubeObject;
    expect(edge.inbound(pod)).toBe(pod);
    expect(edge.outbound(pod)).toBe(pod);
  });

  it('serves events.k8s.io/v1 over the core Events: lists, objects and field selectors converted', () => {
    const edge = viewEdge(eventsV1, { fieldSelector: 'regarding.name=p,reportingController!=x' });
    expect(edge.ri.group).toBe('');
    expect(edge.query['fieldSelector']).toBe('involvedObject.name=p,reportingComponent!=x');
    expect(edge.outbound(stored)).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'hello', regarding: { namespace: 'ns' } });
    const list = edge.outbound({ apiVersion: 'v1', kind: 'EventList', metadata: {}, items: [stored] }) as { kind: string; apiVersion: string; items: KubeObject[] };
    expect(list.kind).toBe('EventList');
    expect(list.apiVersion).toBe('events.k8s.io/v1');
    expect(list.items[0]).toMatchObject({ note: 'hello', reportingController: 'c' });
    const status = { apiVersion: 'v1', kind: 'Status', status: 'Success' };
    expect(edge.outbound(status)).toBe(status);
    const deleted = { apiVersion: 'v1', kind: 'Status', status: 'Success', details: { name: 'e', kind: 'events', uid: 'u' } };
    expect(edge.outbound(deleted)).toEqual({ ...deleted, details: { name: 'e', group: 'events.k8s.io', kind: 'events', uid: 'u' } });
  });

  it('applies a strategic merge patch in events.k8s.io terms and refuses what that version forbids', () => {
    const edge = viewEdge(eventsV1, {});
    expect(edge.patch('strategic', { note: 'patched' })(stored)).toMatchObject({ apiVersion: 'v1', message: 'patched', reportingComponent: 'c' });
    expect(() => edge.patch('merge', { reason: 'Other' })(stored)).toThrow(/Event.events.k8s.io "e" is invalid: reason: Invalid value: "Other": field is immutable/);
    expect(() => edge.inbound({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'n' }, type: 'Normal' } as KubeObject))
      .toThrow(/eventTime: Required value/);
  });
});
