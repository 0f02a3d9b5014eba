import { describe, expect, it } from 'vitest';
import { queryBool } from './query-bool.js';

describe('queryBool (upstream Convert_Slice_string_To_bool)', () => {
  it.each(['true', 'True', 'TRUE', 't', 'T', '1', 'yes', 'on', '', '2', 'anything'])('%j is true', (v) => {
    expect(queryBool(v)).toBe(true);
  });
  it.each(['false', 'False', 'FALSE', 'fAlSe', 'falſe', '0'])('%j is false', (v) => {
    expect(queryBool(v)).toBe(false);
  });
  it('an absent parameter is false', () => {
    expect(queryBool(undefined)).toBe(false);
    expect(queryBool(null)).toBe(false);
  });
  it('only the exact zero is false: 00, f and F are true, as upstream reads them', () => {
    expect(queryBool('00')).toBe(true);
    expect(queryBool('f')).toBe(true);
    expect(queryBool('F')).toBe(true);
  });
});
