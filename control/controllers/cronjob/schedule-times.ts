/** CronJob schedule arithmetic (upstream cronjob/utils.go), PURE over an injected `now`. */
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import type { Schedule } from '../../util/cron/schedule.js';
import { zoneOffsetMs } from '../../util/cron/time-zone.js';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** More missed start times than this raise TooManyMissedTimes. */
export const MANY_MISSED = 100;
/** Upstream nextScheduleDelta: requeue a little after the schedule time. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface MostRecent {
  /** The latest schedule time in (earliest, now], if any. */
  time?: Date;
  missed: number;
}

/**
 * The most recent unmet schedule time: after status.lastScheduleTime (or the creation time),
 * no earlier than now - startingDeadlineSeconds, not after now.
 */
export function mostRecentScheduleTime(cj: CronJob, now: Date, schedule: Schedule): MostRecent {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? '') || now.getTime();
  const sds = cj.spec?.startingDeadlineSeconds;
  if (sds != null) earliest = Math.max(earliest, now.getTime() - sds * 1000);
  let t = schedule.next(new Date(earliest));
  if (t.getTime() > now.getTime()) return { missed: 0 };
  let missed = 1;
  for (;;) {
    const n = schedule.next(t);
    if (n.getTime() > now.getTime()) return { time: t, missed };
    missed++;
    t = n;
    if (missed > 10_000) {
      // far behind: jump by the schedule's period, then walk the rest
      const period = schedule.next(t).getTime() - t.getTime();
      const skip = Math.floor((now.getTime() - t.getTime()) / Math.max(period, 1000)) - 1;
      if (skip > 0) { missed += skip; t = new Date(t.getTime() + skip * period); }
    }
  }
}

/** `<cronjob>-<scheduled time in minutes since the epoch>` (upstream getJobName). */
export function jobNameFor(cjName: string, scheduled: Date): string {
  return `${cjName}-${Math.floor(scheduled.getTime() / 60_000)}`;
}

/** Go time.RFC3339 in a zone: `2026-01-01T09:00:00-05:00`, or `…Z` for UTC. */
export function rfc3339In(d: Date, tz: string | undefined): string {
  const off = zoneOffsetMs(tz, d.getTime());
  const wall = new Date(Math.floor(d.getTime() / 1000) * 1000 + off).toISOString().replace(/\.\d{3}Z$/, '');
  if (off === 0) return `${wall}Z`;
  const m = Math.abs(off) / 60_000;
  return `${wall}${off < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go time.RFC1123Z in UTC: `Thu, 01 Jan 2026 00:01:00 +0000`. */
export function rfc1123z(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAY_NAMES[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
