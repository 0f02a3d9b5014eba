import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { describe, expect, it } from 'vitest';
import { compareKubeVersions } from './crd-resource.js';
import { decideNames } from './crd-names.js';
import { defaultCrd } from './crd-defaults.js';
import { validateCrd } from './crd-validation.js';
import { customResourcePrinter } from './cr-printer.js';
import { evalJsonPath, setJsonPath } from './json-path.js';
import { parseCustomResourceKey } from './custom-resource-key.js';

const crd = (over: Partial<CustomResourceDefinition['spec']> = {}, name = 'foos.example.com'): CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'foos', kind: 'Foo' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }], ...over,
  },
});
const errors = (c: CustomResourceDefinition, old?: CustomResourceDefinition): string[] => { defaultCrd(c); return validateCrd(c, old).map((e) => `${e.field}: ${e.message}`); };

describe('validateCrd', () => {
  it('accepts a minimal CRD once defaulted', () => {
    const c = crd();
    expect(errors(c)).toEqual([]);
    expect(c.spec.names).toEqual({ plural: 'foos', kind: 'Foo', singular: 'foo', listKind: 'FooList' });
  });

  it.each([
    [crd({ group: 'example' }, 'foos.example'), 'spec.group: Invalid value: "example": should be a domain with at least one dot'],
    [crd({ names: { plural: 'Foos', kind: 'Foo' } }, 'Foos.example.com'), 'spec.names.plural: Invalid value: "Foos": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')'],
    [crd({ names: { plural: 'foos', kind: 'Foo', listKind: 'Foo' } }), 'spec.names.listKind: Invalid value: "Foo": kind and listKind may not be the same or it would be ambiguous'],
    [crd({ versions: [] }), 'spec.versions: Required value: must have exactly one version marked as storage version'],
    [crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }, { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] }), 'spec.versions[1].name: Duplicate value: "v1"'],
    [crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } }, subresources: { scale: { specReplicasPath: '.status.r', statusReplicasPath: '.status.r' } } }] }), 'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.r": should be a json path under .spec'],
    [crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } }, additionalPrinterColumns: [{ name: 'X', type: 'map', jsonPath: '.x' }] }] }), 'spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "map": supported values: "integer", "number", "string", "boolean", "date"'],
  ])('%#: %s', (c, want) => {
    expect(errors(c).join('\n')).toContain(want);
  });

  it('keeps the group and scope on update, and every stored version in spec.versions', () => {
    expect(errors(crd({ group: 'other.com' }, 'foos.other.com'), crd())).toContain('spec.group: Invalid value: "other.com": field is immutable');
    expect(errors(crd({ scope: 'Cluster' }), crd())).toContain('spec.scope: Invalid value: "Cluster": field is immutable');
    const renamed = crd({ versions: [{ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] });
    renamed.status = { acceptedNames: { plural: 'foos', kind: 'Foo' }, storedVersions: ['v1', 'v2'] };
    expect(errors(renamed, crd())).toContain('status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions');
  });
});

describe('decideNames', () => {
  const accepted = (c: CustomResourceDefinition): CustomResourceDefinition => ({ ...c, status: { acceptedNames: { ...c.spec.names, singular: 'foo', listKind: 'FooList' }, storedVersions: ['v1'] } });
  it('accepts names nobody else in the group holds, refuses those another CRD holds', () => {
    expect(decideNames(crd(), []).conflict).toBeUndefined();
    const other = crd({ names: { plural: 'bars', kind: 'Foo', singular: 'bar', listKind: 'BarList' } }, 'bars.example.com');
    expect(decideNames(other, [accepted(crd())]).conflict?.reason).toBe('KindConflict');
    const elsewhere = crd({ group: 'other.com' }, 'foos.other.com');
    expect(decideNames(elsewhere, [accepted(crd())]).conflict).toBeUndefined();
  });
});

describe('compareKubeVersions', () => {
  it('orders GA, then beta, then alpha, higher first, then the rest by name', () => {
    expect(['v1alpha1', 'foo', 'v2beta1', 'v1', 'v1beta2', 'v2', 'bar'].sort(compareKubeVersions)).toEqual(['v2', 'v1', 'v2beta1', 'v1beta2', 'v1alpha1', 'bar', 'foo']);
  });
});

describe('json paths and the printer', () => {
  const obj = { metadata: { name: 'a', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { n: 3, list: [{ type: 'Ready', status: 'True' }, { type: 'X', status: 'False' }] } };
  it('reads plain, indexed and filtered paths and writes plain ones', () => {
    expect(evalJsonPath(obj, '.spec.n')).toEqual([3]);
    expect(evalJsonPath(obj, '.spec.list[1].type')).toEqual(['X']);
    expect(evalJsonPath(obj, '.spec.list[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(evalJsonPath(obj, '.spec.list[*].type')).toEqual(['Ready', 'X']);
    const o: Record<string, unknown> = {};
    expect(setJsonPath(o, '.spec.replicas', 2)).toBe(true);
    expect(o).toEqual({ spec: { replicas: 2 } });
    expect(setJsonPath(o, '.spec.list[0]', 2)).toBe(false);
  });

  it('prints NAME plus the columns, dates as ages; NAME and AGE without columns', () => {
    const now = new Date('2024-01-01T00:05:00Z');
    const p = customResourcePrinter([{ name: 'N', type: 'integer', jsonPath: '.spec.n' }, { name: 'Ready', type: 'string', jsonPath: '.spec.list[?(@.type=="Ready")].status' }, { name: 'Since', type: 'date', jsonPath: '.metadata.creationTimestamp' }]);
    expect(p.columns.map((c) => c.name)).toEqual(['Name', 'N', 'Ready', 'Since']);
    expect(p.row(obj, { now }).cells).toEqual(['a', 3, 'True', '5m']);
    expect(customResourcePrinter([]).row(obj, { now }).cells).toEqual(['a', '5m']);
  });
});

describe('parseCustomResourceKey', () => {
  it('reads namespaced and cluster-scoped keys with the object, and nothing else', () => {
    const o = { apiVersion: 'example.com/v1', kind: 'Foo' };
    expect(parseCustomResourceKey('/registry/example.com/foos/ns/a', o)).toMatchObject({ namespace: 'ns', name: 'a', ri: { group: 'example.com', version: 'v1', resource: 'foos', namespaced: true } });
    expect(parseCustomResourceKey('/registry/example.com/foos/a', o)).toMatchObject({ name: 'a', ri: { namespaced: false } });
    expect(parseCustomResourceKey('/registry/pods/ns/a', { apiVersion: 'v1', kind: 'Pod' })).toBeUndefined();
    expect(parseCustomResourceKey('/registry/example.com/foos/ns/a', { apiVersion: 'other.com/v1', kind: 'Foo' })).toBeUndefined();
  });
});
