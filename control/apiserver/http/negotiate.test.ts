import { describe, expect, it } from 'vitest';
import { acceptsPlainObject, wantsTable } from './negotiate.js';

describe('negotiation', () => {
  it.each([
    [undefined, true],
    ['application/json', true],
    ['*/*', true],
    ['application/vnd.kubernetes.protobuf', true],
    ['application/json;as=Table;v=v1;g=meta.k8s.io', false],
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io', false],
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json', true],
    ['text/plain', false],
  ])('acceptsPlainObject(%s) is %s', (accept, want) => {
    expect(acceptsPlainObject(accept)).toBe(want);
  });
  it('wantsTable follows the order of the list', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json,application/json;as=Table;v=v1;g=meta.k8s.io')).toBe(false);
  });
});
