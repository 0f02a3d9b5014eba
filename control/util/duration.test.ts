import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([['50s', 50_000], ['500ms', 500], ['1m30s', 90_000], ['2h', 7_200_000], ['1.5s', 1500]])('%s', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });
  it.each(['', '5', 'abc', '5x', '1s2'])('refuses %j', (s) => {
    expect(() => parseDuration(s)).toThrow(/parse duration/);
  });
});
