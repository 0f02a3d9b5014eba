import { describe, expect, it } from 'vitest';
import { dropField } from './strict.js';

describe('dropField', () => {
  it.each([
    ['spec.foo', { spec: { foo: 1, a: 2 } }, { spec: { a: 2 } }],
    ['spec.containers[1].bar', { spec: { containers: [{ bar: 1 }, { bar: 2, n: 'x' }] } }, { spec: { containers: [{ bar: 1 }, { n: 'x' }] } }],
    ['metadata.labels.a.b', { metadata: { labels: { 'a.b': '1' } } }, { metadata: { labels: {} } }],
    ['spec.missing.deeper', { spec: {} }, { spec: {} }],
    ['top', { top: 1 }, {}],
  ])('drops %s', (path, obj, want) => {
    dropField(obj, path);
    expect(obj).toEqual(want);
  });
});
