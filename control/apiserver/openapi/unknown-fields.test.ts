import { describe, expect, it } from 'vitest';
import { findUnknownFields, strictDecodingError } from './unknown-fields.js';

describe('findUnknownFields', () => {
  it('accepts a well-formed pod', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', labels: { app: 'x' }, annotations: { a: 'b' }, ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'n', uid: 'u' }] },
      spec: {
        containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'x' } } }],
          resources: { limits: { cpu: '1', memory: 1024 } }, readinessProbe: { httpGet: { port: 'http', path: '/' } } }],
        nodeSelector: { disk: 'ssd' },
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
    };
    expect(findUnknownFields('v1', 'Pod', pod)).toEqual([]);
  });

  it.each([
    ['top level', { spec: {}, foo: 1 }, ['foo']],
    ['nested struct', { spec: { foo: 1, bar: 2 } }, ['spec.foo', 'spec.bar']],
    ['array element', { spec: { containers: [{ name: 'a' }, { name: 'b', imagee: 'x' }] } }, ['spec.containers[1].imagee']],
    ['deep', { spec: { containers: [{ name: 'a', env: [{ name: 'A', valueFrom: { fieldRef: { path: 'x' } } }] }] } },
      ['spec.containers[0].env[0].valueFrom.fieldRef.path']],
    ['metadata', { metadata: { name: 'x', label: {} } }, ['metadata.label']],
    ['through a map of structs is not needed for strings', { metadata: { labels: { anything: 'goes' } } }, []],
    ['IntOrString and Quantity are leaves', { spec: { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } },
      livenessProbe: { tcpSocket: { port: 8080, hots: 'x' } } }] } }, ['spec.containers[0].livenessProbe.tcpSocket.hots']],
    ['status is checked too', { status: { phasee: 'x' } }, ['status.phasee']],
    ['null and wrong types are ignored', { spec: null, metadata: 'x' }, []],
  ])('%s', (_name, obj, want) => {
    expect(findUnknownFields('v1', 'Pod', { apiVersion: 'v1', kind: 'Pod', ...obj })).toEqual(want);
  });

  it('walks apps/v1 deployments down to the pod template', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
      template: { metadata: { spec: {} }, spec: { containers: [{ name: 'a', lifecycle: { preStart: {} } }] } } } };
    expect(findUnknownFields('apps/v1', 'Deployment', d)).toEqual(['spec.template.metadata.spec', 'spec.template.spec.containers[0].lifecycle.preStart']);
  });

  it('treats RawExtension-like and empty-struct fields (FieldsV1) as open', () => {
    const cm = { metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:data': { 'f:x': {} } } }] }, data: { a: 'b' }, binaryData: { b: 'AA==' } };
    expect(findUnknownFields('v1', 'ConfigMap', cm)).toEqual([]);
  });

  it('reports nested kind/apiVersion but not the top-level ones', () => {
    expect(findUnknownFields('v1', 'Service', { apiVersion: 'v1', kind: 'Service', spec: { kind: 'x', ports: [{ port: 80, targetPort: 'http' }] } }))
      .toEqual(['spec.kind']);
  });

  it('returns [] for kinds it has no schema for', () => {
    expect(findUnknownFields('example.com/v1', 'Widget', { spec: { anything: 1 } })).toEqual([]);
    expect(findUnknownFields('v1', 'Pod', 'not an object')).toEqual([]);
  });

  it('knows subresource and meta kinds', () => {
    expect(findUnknownFields('autoscaling/v1', 'Scale', { spec: { replicas: 2, replica: 1 } })).toEqual(['spec.replica']);
    expect(findUnknownFields('policy/v1', 'Eviction', { metadata: { name: 'p' }, deleteOptions: { gracePeriodSeconds: 0, x: 1 } }))
      .toEqual(['deleteOptions.x']);
    expect(findUnknownFields('v1', 'Binding', { target: { kind: 'Node', name: 'n1', nme: 'x' } })).toEqual(['target.nme']);
  });
});

describe('strictDecodingError', () => {
  it('words the 400 as upstream does', () => {
    const err = strictDecodingError('Pod', 'v1', ['spec.foo', 'spec.bar']);
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.status.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"');
  });

  it('prints the bare version for grouped kinds', () => {
    expect(strictDecodingError('Deployment', 'apps/v1', ['spec.x']).message)
      .toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.x"');
  });
});
