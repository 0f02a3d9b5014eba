import { describe, expect, it } from 'vitest';
import { parseSince } from './logs.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

describe('parseSince', () => {
  it.each([
    ['10s', '2026-01-01T11:59:50.000Z'], ['5m', '2026-01-01T11:55:00.000Z'], ['1h30m', '2026-01-01T10:30:00.000Z'],
    ['1.5h', '2026-01-01T10:30:00.000Z'], ['2026-01-01T08:00:00Z', '2026-01-01T08:00:00.000Z'],
  ])('%s', (v, want) => {
    expect(parseSince(v, NOW).toISOString()).toBe(want);
  });

  it('refuses what is neither a duration nor a time', () => {
    expect(() => parseSince('soon', NOW)).toThrow(/invalid --since "soon"/);
  });
});
