import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './merge-patch.js';
import { at, deepFreeze, statusOf } from './test-helpers.js';

describe('applyMergePatch', () => {
  // RFC 7386 appendix A, plus the kubectl bodies (label, annotate, scale).
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    [{ a: [1, null] }, { b: [null] }, { a: [1, null], b: [null] }],
    [{ metadata: { labels: { app: 'x' } } }, { metadata: { labels: { k: 'v' } } }, { metadata: { labels: { app: 'x', k: 'v' } } }],
    [{ metadata: { labels: { app: 'x', k: 'v' } } }, { metadata: { labels: { k: null } } }, { metadata: { labels: { app: 'x' } } }],
    [{ spec: { replicas: 1, selector: 'a' } }, { spec: { replicas: 6 } }, { spec: { replicas: 6, selector: 'a' } }],
  ])('%j + %j = %j', (doc, patch, want) => {
    expect(applyMergePatch(deepFreeze(doc), deepFreeze(patch))).toEqual(want);
  });

  it('does not share structure with the input', () => {
    const doc = { a: { b: 1 }, keep: { c: 1 } };
    const out = applyMergePatch(doc, { a: { d: 2 } });
    (at(out, 'keep') as { c: number }).c = 99;
    expect(doc.keep.c).toBe(1);
  });

  it('treats __proto__ as an ordinary key', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(Object.getOwnPropertyNames(out)).toEqual(['__proto__']);
  });

  it.each([[null], ['x'], [3], [true]])('400 Invalid JSON Patch for patch %j', (patch) => {
    expect(statusOf(() => applyMergePatch({ a: 1 }, patch))).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' });
  });
});
