import { describe, expect, it } from 'vitest';
import { CronParseError, parseCron } from './cron-spec.js';
import type { CronSpec } from './cron-spec.js';

const fieldsOf = (s: CronSpec) => {
  if (s.kind !== 'fields') throw new Error(`not a field schedule: ${s.kind}`);
  const list = (f: { values: ReadonlySet<number>; star: boolean }) => `${[...f.values].sort((a, b) => a - b).join(',')}${f.star ? '*' : ''}`;
  return [s.minute, s.hour, s.dom, s.month, s.dow].map(list);
};

describe('parseCron (robfig/cron/v3 ParseStandard)', () => {
  it.each([
    ['5 4 1 1 0', ['5', '4', '1', '1', '0']],
    ['0-10/5 22-23 */10 jan-MAR ?', ['0,5,10', '22,23', '1,11,21,31', '1,2,3', '0,1,2,3,4,5,6*']],
    ['*/1 * * * *', [range(0, 59) + '*', range(0, 23) + '*', range(1, 31) + '*', range(1, 12) + '*', range(0, 6) + '*']],
    ['50/5 0 1,15 DEC sun,SAT', ['50,55', '0', '1,15', '12', '0,6']],
    ['1,,2 +3 *-5 ?-3 00004', ['1,2', '3', range(1, 31) + '*', range(1, 12) + '*', '4']],
    ['@weekly', ['0', '0', range(1, 31) + '*', range(1, 12) + '*', '0']],
    ['@yearly', ['0', '0', '1', '1', range(0, 6) + '*']],
    ['  0\t0  * * *  ', ['0', '0', range(1, 31) + '*', range(1, 12) + '*', range(0, 6) + '*']],
  ])('%j', (spec, want) => {
    expect(fieldsOf(parseCron(spec))).toEqual(want);
  });

  it.each([
    ['@every 90s', 90_000], ['@every 1.5h', 5_400_000], ['@every 1500ms', 1000], ['@every 0', 1000], ['@every -5s', 1000], ['@every 300us', 1000],
  ])('%j waits %i ms', (spec, delayMs) => {
    expect(parseCron(spec)).toEqual({ kind: 'every', delayMs });
  });

  it('reads the zone from TZ=/CRON_TZ=, else from the option', () => {
    expect(parseCron('CRON_TZ=America/New_York 0 9 * * *').timeZone).toBe('America/New_York');
    expect(parseCron('TZ=Europe/Berlin @daily').timeZone).toBe('Europe/Berlin');
    expect(parseCron('TZ=Europe/Berlin @daily', { timeZone: 'Asia/Tokyo' }).timeZone).toBe('Europe/Berlin');
    expect(parseCron('0 9 * * *', { timeZone: 'Asia/Tokyo' }).timeZone).toBe('Asia/Tokyo');
    expect(parseCron('TZ= 0 9 * * *').timeZone).toBeUndefined(); // Go's LoadLocation("") is UTC
    expect(parseCron('0 9 * * *').timeZone).toBeUndefined();
  });

  it.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    [' @daily', 'expected exactly 5 fields, found 1: [@daily]'],
    ['TZ=UTC', 'expected exactly 5 fields, found 0: []'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
    ['-1 * * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['*/-1 * * * *', 'negative number (-1) not allowed: -1'],
    ['99999999999999999999 * * * *', 'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range'],
    ['* JAN * * *', 'failed to parse int from JAN: strconv.Atoi: parsing "JAN": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['@daily ', 'unrecognized descriptor: @daily '],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['@every  5s', 'failed to parse duration @every  5s: time: invalid duration " 5s"'],
  ])('rejects %j: %s', (spec, message) => {
    let err: unknown;
    try { parseCron(spec); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CronParseError);
    expect(err).toMatchObject({ code: 'InvalidSchedule', message });
  });

  it('rejects an unknown zone with its own code', () => {
    expect(() => parseCron('TZ=Nowhere/Land * * * * *')).toThrow(expect.objectContaining({ code: 'UnknownTimeZone', message: 'provided bad location Nowhere/Land: unknown time zone Nowhere/Land' }));
    expect(() => parseCron('* * * * *', { timeZone: 'Nowhere/Land' })).toThrow(expect.objectContaining({ code: 'UnknownTimeZone' }));
  });
});

function range(from: number, to: number): string {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i).join(',');
}
