import { describe, expect, it } from 'vitest';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { parseSchedule } from '../../util/cron/schedule.js';
import { jobNameFor, mostRecentScheduleTime, rfc1123z, rfc3339In } from './schedule-times.js';

const cj = (spec: Partial<NonNullable<CronJob['spec']>>, lastScheduleTime?: string): CronJob => ({
  metadata: { name: 'c', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { schedule: '* * * * *', jobTemplate: {}, ...spec },
  ...(lastScheduleTime ? { status: { lastScheduleTime } } : {}),
});
const every = parseSchedule('* * * * *');

describe('mostRecentScheduleTime', () => {
  it('has nothing before the first schedule time', () => {
    expect(mostRecentScheduleTime(cj({}), new Date('2026-01-01T00:00:59Z'), every)).toEqual({ missed: 0 });
  });
  it('finds the latest unmet time and counts the missed ones', () => {
    const r = mostRecentScheduleTime(cj({}), new Date('2026-01-01T03:20:30Z'), every);
    expect(r.time?.toISOString()).toBe('2026-01-01T03:20:00.000Z');
    expect(r.missed).toBe(200);
  });
  it('starts after lastScheduleTime', () => {
    const r = mostRecentScheduleTime(cj({}, '2026-01-01T03:19:00Z'), new Date('2026-01-01T03:20:30Z'), every);
    expect(r).toEqual({ time: new Date('2026-01-01T03:20:00Z'), missed: 1 });
  });
  it('looks back no further than startingDeadlineSeconds', () => {
    const r = mostRecentScheduleTime(cj({ startingDeadlineSeconds: 150 }), new Date('2026-01-01T03:20:30Z'), every);
    expect(r).toEqual({ time: new Date('2026-01-01T03:20:00Z'), missed: 2 });
  });
});

describe('formats', () => {
  it('names jobs by minutes since the epoch', () => {
    expect(jobNameFor('hello', new Date('2026-01-01T00:01:00Z'))).toBe(`hello-${Date.UTC(2026, 0, 1, 0, 1) / 60000}`);
  });
  it('writes RFC3339 in the CronJob time zone and RFC1123Z', () => {
    expect(rfc3339In(new Date('2026-01-01T14:00:00Z'), undefined)).toBe('2026-01-01T14:00:00Z');
    expect(rfc3339In(new Date('2026-01-01T14:00:00Z'), 'America/New_York')).toBe('2026-01-01T09:00:00-05:00');
    expect(rfc1123z(new Date('2026-01-01T00:01:00Z'))).toBe('Thu, 01 Jan 2026 00:01:00 +0000');
  });
});
