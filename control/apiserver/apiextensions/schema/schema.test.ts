import { describe, expect, it } from 'vitest';
import { applySchemaDefaults } from './defaults.js';
import { unknownFieldPaths } from './prune.js';
import type { Schema } from './schema.js';
import { structuralErrors } from './structural.js';
import { validateValue } from './validate-value.js';
import { compilePattern } from './pattern.js';

const SCHEMA: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object', required: ['size'],
      properties: {
        size: { type: 'string', enum: ['s', 'l'] }, replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5, minLength: 1 },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', maxItems: 2, items: { type: 'object', properties: { k: { type: 'string', default: 'x' } } } },
        env: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        opt: { type: 'string', nullable: true },
      },
    },
  },
};

const messages = (obj: Record<string, unknown>): string[] => validateValue(SCHEMA, obj).map((e) => `${e.field}: ${e.message}`);

describe('validateValue', () => {
  it('accepts a valid object and ignores apiVersion, kind and metadata', () => {
    expect(messages({ apiVersion: 'a/v1', kind: 'K', metadata: { name: 'x' }, spec: { size: 's', replicas: 3, port: 'http', opt: null, tags: [{ k: 'a' }] } })).toEqual([]);
  });

  it.each([
    [{ spec: {} }, 'spec.size: Required value'],
    [{ spec: { size: 'm' } }, 'spec.size: Unsupported value: "m": supported values: "s", "l"'],
    [{ spec: { size: 's', replicas: 'two' } }, 'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
    [{ spec: { size: 's', replicas: 1.5 } }, 'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"'],
    [{ spec: { size: 's', replicas: -1 } }, 'spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0'],
    [{ spec: { size: 's', replicas: 11 } }, 'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'],
    [{ spec: { size: 's', name: 'AB' } }, "spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"],
    [{ spec: { size: 's', name: 'abcdef' } }, 'spec.name: Too long: may not be more than 5 bytes'],
    [{ spec: { size: 's', port: true } }, 'spec.port: Invalid value: true: spec.port in body must be of type integer,string: "boolean"'],
    [{ spec: { size: 's', tags: [{}, {}, {}] } }, 'spec.tags: Too many: 3: must have at most 2 items'],
    [{ spec: { size: 's', env: { A: 1 } } }, 'spec.env.A: Invalid value: "integer": spec.env.A in body must be of type string: "integer"'],
    [{ spec: { size: null } }, 'spec.size: Invalid value: "null": spec.size in body must be of type string: "null"'],
  ])('%j -> %s', (obj, want) => {
    expect(messages(obj)).toContain(want);
  });
});

describe('unknownFieldPaths', () => {
  it('names fields the schema does not declare, keeping preserved and type-meta fields', () => {
    const obj = { apiVersion: 'a/v1', kind: 'K', metadata: { name: 'x', whatever: 1 }, top: 1, spec: { size: 's', junk: 2, tags: [{ k: 'a', z: 3 }], env: { A: 'b' }, raw: { deep: { any: 1 } } } };
    expect(unknownFieldPaths(SCHEMA, obj)).toEqual(['top', 'spec.junk', 'spec.tags[0].z']);
  });

  it('keeps everything under x-kubernetes-preserve-unknown-fields at the root', () => {
    expect(unknownFieldPaths({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, { a: { b: 1 }, c: [1] })).toEqual([]);
  });
});

describe('applySchemaDefaults', () => {
  it('fills missing and null (not nullable) fields, through items, never over a value', () => {
    const obj: Record<string, unknown> = { spec: { size: 's', replicas: 4, tags: [{}, { k: 'y' }] } };
    applySchemaDefaults(SCHEMA, obj);
    expect(obj['spec']).toEqual({ size: 's', replicas: 4, tags: [{ k: 'x' }, { k: 'y' }] });
    const nulls: Record<string, unknown> = { spec: { replicas: null } };
    applySchemaDefaults(SCHEMA, nulls);
    expect(nulls['spec']).toEqual({ replicas: 1 });
  });

  it('defaults a whole missing object when its parent names a default', () => {
    const obj: Record<string, unknown> = {};
    applySchemaDefaults({ type: 'object', properties: { spec: { type: 'object', default: {}, properties: { a: { type: 'string', default: 'A' } } } } }, obj);
    expect(obj).toEqual({ spec: { a: 'A' } });
  });
});

describe('structuralErrors', () => {
  const fields = (s: unknown): string[] => structuralErrors(s, 'x').map((e) => `${e.field}: ${e.message}`);

  it('accepts a structural schema', () => {
    expect(fields(SCHEMA)).toEqual([]);
  });

  it.each([
    [{ properties: {} }, 'x.type: Required value: must not be empty at the root'],
    [{ type: 'string' }, 'x.type: Invalid value: "string": must be object at the root'],
    [{ type: 'object', properties: { a: {} } }, 'x.properties[a].type: Required value: must not be empty for specified object fields'],
    [{ type: 'object', properties: { a: { type: 'array' } } }, 'x.properties[a].items: Required value: must be specified'],
    [{ type: 'object', properties: { a: { type: 'array', items: {} } } }, 'x.properties[a].items.type: Required value: must not be empty for specified array items'],
    [{ type: 'object', properties: { a: { type: 'object', properties: {}, additionalProperties: { type: 'string' } } } }, 'x.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive'],
    [{ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }, 'x.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified'],
    [{ type: 'object', 'x-kubernetes-preserve-unknown-fields': false }, 'x.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined'],
    [{ type: 'object', properties: { a: { type: 'thing' } } }, 'x.properties[a].type: Unsupported value: "thing": supported values: "object", "array", "string", "integer", "number", "boolean"'],
  ])('%j -> %s', (schema, want) => {
    expect(fields(schema)).toContain(want);
  });
});

describe('compilePattern', () => {
  it.each(['^[a-z]+$', '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', '^(ab)+$', '^v[0-9]+(alpha|beta)?[0-9]*$', 'a{2,3}', '^\\d+(\\.\\d+)?$'])('accepts %s', (p) => {
    expect(compilePattern(p)).toBeInstanceOf(RegExp);
  });
  it.each(['^(a+)+$', '(a|aa)*', '(x*)*', '((ab)*c)+', '(a+){2,}', '(\\w)\\1', 'a(?=b)', '('])('refuses %s', (p) => {
    expect(typeof compilePattern(p)).toBe('string');
  });
  it('a refused pattern is a CRD validation error and never runs', () => {
    const schema: Schema = { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } };
    expect(structuralErrors(schema, 'x').map((e) => e.field)).toContain('x.properties[a].pattern');
    // (run, it would backtrack for ages: the test would time out)
    expect(validateValue(schema, { a: `${'a'.repeat(40)}!` })).toEqual([]);
  });
});
