import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseDurationNs } from './duration.js';

describe('parseDuration (Go time.ParseDuration)', () => {
  it.each([
    ['50s', 50_000], ['500ms', 500], ['1m30s', 90_000], ['2h', 7_200_000], ['1.5s', 1500], ['1.5h', 5_400_000],
    ['0', 0], ['+0', 0], ['-0', 0], ['0s', 0], ['-5s', -5000], ['+5s', 5000], ['.5s', 500], ['5.s', 5000],
    ['1h2m3s4ms', 3_723_004], ['300us', 0.3], ['300µs', 0.3], ['300μs', 0.3], ['1500000ns', 1.5], ['1m1m', 120_000],
  ])('%s is %d ms', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['5', 'time: missing unit in duration "5"'],
    ['abc', 'time: invalid duration "abc"'],
    ['5x', 'time: unknown unit "x" in duration "5x"'],
    ['1s2', 'time: missing unit in duration "1s2"'],
    ['.s', 'time: invalid duration ".s"'],
    ['-', 'time: invalid duration "-"'],
    [' 5s', 'time: invalid duration " 5s"'],
    ['5s ', 'time: unknown unit "s " in duration "5s "'],
    ['1_000s', 'time: unknown unit "_" in duration "1_000s"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['2562048h', 'time: invalid duration "2562048h"'],
  ])('refuses %j: %s', (s, message) => {
    expect(() => parseDuration(s)).toThrow(message);
  });

  it('keeps nanoseconds exact up to the int64 limit', () => {
    expect(parseDurationNs('9223372036854775807ns')).toBe(9223372036854775807n);
    expect(parseDurationNs('-9223372036854775808ns')).toBe(-9223372036854775808n);
    expect(parseDurationNs('2562047h47m16.854775807s')).toBe(9223372036854775807n);
  });
});

describe('formatDuration (Go time.Duration.String)', () => {
  it.each([[0, '0s'], [10_000, '10s'], [80_000, '1m20s'], [300_000, '5m0s'], [100, '100ms'], [1500, '1.5s'], [3_600_000, '1h0m0s']])('%i → %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });
});
