/**
 * The API server's CronJob validation and this controller read schedules with one parser: every
 * schedule validation accepts, the controller can schedule, and every schedule the controller
 * would report as unparseable, validation refuses with the same text. The first rows are the ones
 * the two disagreed on when each had a parser of its own.
 */
import { describe, expect, it } from 'vitest';
import { validateCronJob } from '../../api/validation/batch.js';
import { parseSchedule } from '../../util/cron/schedule.js';

const cronJob = (schedule: string) => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick', namespace: 'default' },
  spec: { schedule, concurrencyPolicy: 'Allow', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } },
});

/** What validation says about spec.schedule's grammar (the TZ= rule is API policy, not grammar). */
function validationSays(schedule: string): string | undefined {
  const errs = validateCronJob(cronJob(schedule)).filter((e) => e.field === 'spec.schedule' && !e.message.includes('TZ or CRON_TZ'));
  return errs[0]?.message.replace(`Invalid value: ${JSON.stringify(schedule)}: `, '');
}

/** What the controller says when it parses the schedule for scheduling. */
function controllerSays(schedule: string): string | undefined {
  try {
    parseSchedule(schedule).next(new Date('2026-01-01T00:00:00Z'));
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

describe('CronJob validation and the CronJob controller agree on schedules', () => {
  it.each([
    // accepted by validation, refused by the controller before
    ['1,,2 * * * *', 'ok'], [',5 * * * *', 'ok'], ['+5 * * * *', 'ok'], ['*-5 * * * *', 'ok'], ['?-3 * * * *', 'ok'],
    ['@every -5s', 'ok'], ['@every 0', 'ok'],
    ['TZ= 0 * * * *', 'ok'],
    ['TZ=Nowhere/Land * * * * *', 'provided bad location Nowhere/Land: unknown time zone Nowhere/Land'],
    // refused by validation, accepted by the controller before
    ['@every  5s', 'failed to parse duration @every  5s: time: invalid duration " 5s"'],
    ['@every 5s ', 'failed to parse duration @every 5s : time: unknown unit "s " in duration "5s "'],
    [' @daily', 'expected exactly 5 fields, found 1: [@daily]'],
    ['@daily ', 'unrecognized descriptor: @daily '],
    // agreed before, and still do
    ['*/15 9-17 * jan-mar mon-fri', 'ok'], ['0 0 29 feb ?', 'ok'], ['@hourly', 'ok'], ['@every 1.5h', 'ok'], [' * * * * *', 'ok'],
    ['CRON_TZ=America/New_York 0 9 * * *', 'ok'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['JAN * * * *', 'failed to parse int from JAN: strconv.Atoi: parsing "JAN": invalid syntax'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['5/0 * * * *', 'step of range should be a positive number: 5/0'],
    ['TZ=UTC', 'expected exactly 5 fields, found 0: []'],
  ])('%j: %s', (schedule, want) => {
    const expected = want === 'ok' ? undefined : want;
    expect(validationSays(schedule)).toBe(expected);
    expect(controllerSays(schedule)).toBe(expected);
  });
});
