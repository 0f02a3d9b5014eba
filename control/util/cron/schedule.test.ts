import { describe, expect, it } from 'vitest';
import { CronParseError } from './cron-spec.js';
import { parseSchedule } from './schedule.js';

const at = (s: string) => new Date(s);
const next = (spec: string, after: string, timeZone?: string) => parseSchedule(spec, timeZone === undefined ? {} : { timeZone }).next(at(after)).toISOString();

describe('parseSchedule', () => {
  it.each([
    ['*/1 * * * *', '2026-01-01T00:00:30Z', '2026-01-01T00:01:00.000Z'],
    ['* * * * *', '2026-01-01T00:01:00Z', '2026-01-01T00:02:00.000Z'],
    ['*/15 * * * *', '2026-01-01T00:16:00Z', '2026-01-01T00:30:00.000Z'],
    ['5 4 * * *', '2026-01-01T04:05:00Z', '2026-01-02T04:05:00.000Z'],
    ['0 9-17/4 * * *', '2026-01-01T10:00:00Z', '2026-01-01T13:00:00.000Z'],
    ['0 0 1,15 * *', '2026-01-02T00:00:00Z', '2026-01-15T00:00:00.000Z'],
    ['0 0 * * mon', '2026-01-01T00:00:00Z', '2026-01-05T00:00:00.000Z'], // 2026-01-01 is a Thursday
    ['0 0 13 * 5', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'], // dom OR dow: Friday the 2nd
    ['0 0 31 * *', '2026-02-01T00:00:00Z', '2026-03-31T00:00:00.000Z'],
    ['0 0 29 feb *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['30 2 * jan-mar ?', '2026-12-31T23:59:00Z', '2027-01-01T02:30:00.000Z'],
    ['@hourly', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00.000Z'],
    ['@daily', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'],
    ['@weekly', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00.000Z'],
    ['@monthly', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00.000Z'],
    ['@yearly', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['@every 90s', '2026-01-01T00:00:00.500Z', '2026-01-01T00:01:30.000Z'],
  ])('%s after %s is %s', (spec, after, want) => {
    expect(next(spec, after)).toBe(want);
  });

  it('honours a time zone, from CRON_TZ= or the timeZone field', () => {
    expect(next('CRON_TZ=America/New_York 0 9 * * *', '2026-01-01T00:00:00Z')).toBe('2026-01-01T14:00:00.000Z');
    expect(next('0 9 * * *', '2026-07-01T00:00:00Z', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    // 02:30 does not exist on 2026-03-08 in New York: the next activation is the day after
    expect(next('30 2 * * *', '2026-03-08T00:00:00Z', 'America/New_York')).toBe('2026-03-09T06:30:00.000Z');
  });

  it.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ])('rejects %j', (spec, message) => {
    expect(() => parseSchedule(spec)).toThrow(CronParseError);
    expect(() => parseSchedule(spec)).toThrow(message);
  });
});
