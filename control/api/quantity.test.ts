import { describe, expect, it } from 'vitest';
import { QUANTITY_SYNTAX_ERROR, parseQuantity, quantityOf } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['1', 1], ['0', 0], ['100m', 0.1], ['500m', 0.5], ['1500m', 1.5], ['0.5', 0.5], ['.5', 0.5], ['2.', 2],
    ['1k', 1000], ['1M', 1e6], ['1G', 1e9], ['1T', 1e12], ['1P', 1e15], ['1E', 1e18],
    ['1Ki', 1024], ['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['1.5Gi', 1.5 * 2 ** 30], ['1Ti', 2 ** 40],
    ['1e3', 1000], ['1E3', 1000], ['5e-3', 0.005], ['100n', 1e-7], ['1u', 1e-6], ['-1', -1], ['+2', 2],
  ])('%s -> %d', (input, want) => {
    expect(parseQuantity(input)).toBeCloseTo(want, 9);
  });

  it.each(['', 'abc', '1x', '1KiB', 'Mi', '1..2', '1.2.3Gi', '1 Gi', 'e3'])('rejects %j', (input) => {
    expect(() => parseQuantity(input)).toThrow(QUANTITY_SYNTAX_ERROR);
  });

  it('accepts JSON numbers', () => {
    expect(quantityOf(2)).toBe(2);
  });
});
