import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.js';
import { RESOURCES } from '../resources.js';
import { EVENTS_V1_VIEW } from './events.js';
import { storedViewOf } from './stored-view.js';

const ref = { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u1' };
const external = {
  apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'ns' },
  eventTime: '2017-09-19T13:49:16.000000Z', series: { count: 2, lastObservedTime: '2017-09-19T13:49:17.000000Z' },
  reportingController: 'test-controller', reportingInstance: 'test-node', action: 'Do', reason: 'Test', regarding: ref,
  related: { ...ref, name: 'q' }, note: 'This is e', type: 'Normal',
} as KubeObject;

describe('events.k8s.io/v1 Event over core/v1 Event', () => {
  it('maps note, regarding, reportingController and the deprecated fields to their core names', () => {
    const core = EVENTS_V1_VIEW.toInternal({ ...external, deprecatedSource: { component: 'k' }, deprecatedCount: 3, deprecatedFirstTimestamp: 't1', deprecatedLastTimestamp: 't2' } as KubeObject);
    expect(core).toEqual({
      apiVersion: 'v1', kind: 'Event', metadata: external.metadata, eventTime: external['eventTime'], series: external['series'],
      reportingComponent: 'test-controller', reportingInstance: 'test-node', action: 'Do', reason: 'Test', involvedObject: ref,
      related: external['related'], message: 'This is e', type: 'Normal', source: { component: 'k' }, count: 3, firstTimestamp: 't1', lastTimestamp: 't2',
    });
    expect(EVENTS_V1_VIEW.toExternal(EVENTS_V1_VIEW.toInternal(external))).toEqual(external);
  });

  it('is found for the events.k8s.io resource, with the core resource as its storage', () => {
    const ri = RESOURCES.find((r) => r.group === 'events.k8s.io' && r.resource === 'events');
    expect(ri).toBeDefined();
    expect(storedViewOf(ri!)?.internal).toMatchObject({ group: '', version: 'v1', resource: 'events' });
    expect(storedViewOf(RESOURCES.find((r) => r.resource === 'pods')!)).toBeUndefined();
  });

  it('maps field selector labels', () => {
    expect(EVENTS_V1_VIEW.fieldLabel('regarding.name')).toBe('involvedObject.name');
    expect(EVENTS_V1_VIEW.fieldLabel('reportingController')).toBe('reportingComponent');
    expect(EVENTS_V1_VIEW.fieldLabel('type')).toBe('type');
  });

  it('validates a create as upstream does for events.k8s.io/v1', () => {
    const ok = EVENTS_V1_VIEW.toInternal(external);
    expect(EVENTS_V1_VIEW.validate!(ok)).toEqual([]);
    const bad = EVENTS_V1_VIEW.toInternal({ ...external, eventTime: undefined, type: 'Odd', series: { count: 1 }, deprecatedCount: 2 } as KubeObject);
    expect(EVENTS_V1_VIEW.validate!(bad).map((e) => `${e.field}: ${e.message}`)).toEqual([
      'eventTime: Required value',
      'series.count: Invalid value: "": should be at least 2',
      'series.lastObservedTime: Required value',
      'type: Invalid value: "": has invalid value: Odd',
      'deprecatedCount: Invalid value: "": needs to be unset',
    ]);
    const noReporter = EVENTS_V1_VIEW.toInternal({ ...external, reportingController: undefined, action: undefined } as KubeObject);
    expect(new Set(EVENTS_V1_VIEW.validate!(noReporter).map((e) => e.field))).toEqual(new Set(['reportingController', 'action']));
  });

  it('refuses changing immutable fields on update, accepts a new series', () => {
    const old = EVENTS_V1_VIEW.toInternal(external);
    const series = { count: 100, lastObservedTime: '2017-09-19T13:49:16.000000Z' };
    expect(EVENTS_V1_VIEW.validate!(EVENTS_V1_VIEW.toInternal({ ...external, series, note: 'new' } as KubeObject), old)).toEqual([]);
    const changed = EVENTS_V1_VIEW.toInternal({ ...external, reason: 'Other' } as KubeObject);
    expect(EVENTS_V1_VIEW.validate!(changed, old).map((e) => `${e.field}: ${e.message}`)).toEqual(['reason: Invalid value: "Other": field is immutable']);
  });
});
