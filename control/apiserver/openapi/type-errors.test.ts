import { describe, expect, it } from 'vitest';
import { findTypeError, patchDecodingError, typeDecodingError } from './type-errors.js';

const node = (status: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status });

describe('findTypeError', () => {
  it.each([
    ['a number as an annotation value', 'v1', 'Pod', { metadata: { name: 'p', annotations: { a: 'x', b: 1 } } },
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string'],
    ['an object as a node address', 'v1', 'Node', node({ addresses: [{ type: 'InternalIP', address: { ip: '1.2.3.4' } }] }),
      'json: cannot unmarshal object into Go struct field NodeAddress.status.addresses.address of type string'],
    ['a string where node addresses are a list', 'v1', 'Node', node({ addresses: '1.2.3.4' }),
      'json: cannot unmarshal string into Go struct field NodeStatus.status.addresses of type []v1.NodeAddress'],
    ['a string as an address entry', 'v1', 'Node', node({ addresses: ['1.2.3.4'] }),
      'json: cannot unmarshal string into Go struct field NodeStatus.status.addresses of type v1.NodeAddress'],
    ['a fraction as an int32', 'apps/v1', 'Deployment', { spec: { replicas: 1.5 } },
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['a string as an int32', 'apps/v1', 'Deployment', { spec: { replicas: '3' } },
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['a string as a bool', 'v1', 'Pod', { spec: { hostNetwork: 'yes', containers: [] } },
      'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'],
    ['a list as metadata', 'v1', 'ConfigMap', { metadata: [] },
      'json: cannot unmarshal array into Go struct field ConfigMap.metadata of type v1.ObjectMeta'],
    ['owner references nested in lists', 'v1', 'ConfigMap', { metadata: { ownerReferences: [[[]]] } },
      'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.ownerReferences of type v1.OwnerReference'],
    ['a number as secret data', 'v1', 'Secret', { data: { k: 5 } },
      'json: cannot unmarshal number into Go struct field Secret.data of type []uint8'],
    ['an object as a quantity', 'v1', 'Node', node({ capacity: { cpu: { n: 1 } } }),
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['a fraction as an IntOrString', 'v1', 'Service', { spec: { ports: [{ port: 80, targetPort: 8.5 }] } },
      'json: cannot unmarshal number 8.5 into Go value of type int32'],
    ['a number as a time', 'v1', 'Pod', { metadata: { creationTimestamp: 5 } },
      'json: cannot unmarshal number into Go value of type string'],
  ])('%s', (_name, apiVersion, kind, obj, want) => {
    expect(findTypeError(apiVersion, kind, obj)).toBe(want);
  });

  it('reports the first mismatch in document order', () => {
    expect(findTypeError('v1', 'Pod', { metadata: { labels: { a: 1 }, annotations: { b: 2 } } })).toContain('ObjectMeta.metadata.labels');
  });

  it.each([
    ['nulls everywhere', 'v1', 'Pod', { metadata: { name: null, annotations: { a: null } }, spec: null }],
    ['quantities as numbers and strings', 'v1', 'Node', node({ capacity: { cpu: 4, memory: '1Gi' } })],
    ['IntOrString as either', 'v1', 'Service', { spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } }],
    ['free-form managed fields', 'v1', 'Pod', { metadata: { managedFields: [{ fieldsV1: { 'f:a': { '.': {} } }, time: '2026-01-01T00:00:00Z' }] } }],
    ['unknown fields (strict validation reports them)', 'v1', 'Pod', { spec: { bogus: { deep: [1] } } }],
    ['a kind without a schema', 'example.com/v1', 'Widget', { spec: { x: 1 } }],
  ])('accepts %s', (_name, apiVersion, kind, obj) => {
    expect(findTypeError(apiVersion, kind, obj)).toBeUndefined();
  });
});

describe('decode errors', () => {
  it('create/update: 400 BadRequest naming the kind and version', () => {
    expect(typeDecodingError('Deployment', 'apps/v1', 'json: x').status).toMatchObject({
      code: 400, reason: 'BadRequest', message: 'Deployment in version "v1" cannot be handled as a Deployment: json: x' });
  });

  it('patch: 422 Invalid on the field "patch" with the patched object as the value', () => {
    const s = patchDecodingError({ a: 1 }, 'json: x').status;
    expect(s).toMatchObject({ code: 422, reason: 'Invalid', message: ' "" is invalid: patch: Invalid value: "{\\"a\\":1}": json: x' });
    expect(s.details?.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'patch', message: 'Invalid value: "{\\"a\\":1}": json: x' }]);
  });
});
