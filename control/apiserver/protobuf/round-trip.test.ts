import { describe, expect, it } from 'vitest';
import { RESOURCES, groupVersion } from '../../api/resources.js';
import { decodeProtobufObject } from './decode.js';
import { encodeProtobufBody } from './testing/encode-object.js';
import { DELETE_OPTIONS_SAMPLE, SAMPLES } from './testing/samples.js';

/** Subresources that carry no object body (streams and connect options in the query). */
const BODYLESS = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

/** Every (apiVersion, kind) a typed client may send: each resource and each subresource body. */
function bodyKinds(): Array<{ apiVersion: string; kind: string }> {
  const seen = new Map<string, { apiVersion: string; kind: string }>();
  const add = (apiVersion: string, kind: string) => seen.set(`${apiVersion} ${kind}`, { apiVersion, kind });
  for (const ri of RESOURCES) {
    if (ri.group === 'apiextensions.k8s.io') continue; // JSON only: apiextensions clients (and kubectl) never send it as protobuf
    add(groupVersion(ri), ri.kind);
    for (const sub of ri.subresources ?? []) {
      if (BODYLESS.has(sub.name)) continue;
      add(groupVersion({ group: sub.group ?? ri.group, version: sub.version ?? ri.version }), sub.kind);
    }
  }
  add('policy/v1beta1', 'Eviction'); // what pre-1.22 clients (the v1.20 conformance suite) send to pods/eviction
  return [...seen.values()];
}

const groupVersions = [...new Set([...RESOURCES.map(groupVersion), 'autoscaling/v1', 'policy/v1', 'policy/v1beta1'])];

describe('protobuf round trip of every kind tinykube serves', () => {
  it.each(bodyKinds())('$apiVersion $kind decodes to the JSON it was encoded from', ({ apiVersion, kind }) => {
    const sample = SAMPLES[`${apiVersion} ${kind}`];
    expect(sample, `no sample for ${apiVersion} ${kind}: add one to testing/samples.ts`).toBeDefined();
    const body = encodeProtobufBody(apiVersion, kind, sample ?? {});
    expect(decodeProtobufObject(body)).toEqual({ apiVersion, kind, object: { apiVersion, kind, ...sample } });
  });

  it.each(groupVersions)('DeleteOptions in %s', (apiVersion) => {
    const body = encodeProtobufBody(apiVersion, 'DeleteOptions', DELETE_OPTIONS_SAMPLE);
    expect(decodeProtobufObject(body).object).toEqual({ apiVersion, kind: 'DeleteOptions', ...DELETE_OPTIONS_SAMPLE });
  });

  it('every sample is a kind the list above reaches (no stale samples)', () => {
    const reached = new Set(bodyKinds().map((k) => `${k.apiVersion} ${k.kind}`));
    expect(Object.keys(SAMPLES).filter((k) => !reached.has(k))).toEqual([]);
  });
});

describe('encodeProtobufBody refuses what the schema cannot carry', () => {
  it('a JSON key with no proto field', () => {
    expect(() => encodeProtobufBody('v1', 'Node', { spec: { notAField: true } })).toThrow(/NodeSpec has no field for notAField/);
  });

  it('a kind with no message', () => {
    expect(() => encodeProtobufBody('v1', 'Widget', {})).toThrow(/no protobuf message for v1 Widget/);
  });
});

describe('wire details of the new kinds', () => {
  it('MicroTime keeps microseconds, Time whole seconds (Event, Lease)', () => {
    const ev = decodeProtobufObject(encodeProtobufBody('v1', 'Event', { eventTime: '2024-02-03T04:05:06.000007Z', firstTimestamp: '2024-02-03T04:05:06Z' })).object;
    expect(ev).toMatchObject({ eventTime: '2024-02-03T04:05:06.000007Z', firstTimestamp: '2024-02-03T04:05:06Z' });
  });

  it('a Lease with year-1 MicroTimes (the conformance lease spec) keeps them', () => {
    const spec = { holderIdentity: 'holder', leaseDurationSeconds: 30, acquireTime: '0001-01-01T00:00:02.000000Z', renewTime: '0001-01-01T00:00:05.000000Z', leaseTransitions: 0 };
    const o = decodeProtobufObject(encodeProtobufBody('coordination.k8s.io/v1', 'Lease', { spec })).object;
    expect(o).toEqual({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec });
  });

  it('BoundObjectReference.uID (field 4) is the JSON uid', () => {
    const o = decodeProtobufObject(encodeProtobufBody('authentication.k8s.io/v1', 'TokenRequest', { spec: { boundObjectRef: { uid: 'abc' } } })).object;
    expect(o).toEqual({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { boundObjectRef: { uid: 'abc' } } });
  });

  it('extra values of SubjectAccessReview become lists', () => {
    const o = decodeProtobufObject(encodeProtobufBody('authorization.k8s.io/v1', 'SubjectAccessReview', { spec: { extra: { a: ['1', '2'] } } })).object;
    expect(o).toHaveProperty('spec.extra', { a: ['1', '2'] });
  });
});
