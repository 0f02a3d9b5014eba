import { describe, expect, it } from 'vitest';
import { dateToDockerSince, dockerTimeToNs } from './time.js';

describe('time', () => {
  it('parses nanoseconds and zero time', () => {
    expect(dockerTimeToNs('1970-01-01T00:00:01.000000002Z')).toBe(1e9 + 2);
    expect(dockerTimeToNs('1970-01-01T01:00:01.5+01:00')).toBe(1.5e9);
    expect(dockerTimeToNs('0001-01-01T00:00:00Z')).toBe(0);
    expect(dateToDockerSince(new Date(1500))).toBe('1.500000000');
  });
});
