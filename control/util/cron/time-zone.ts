/** Wall clocks of IANA time zones through Intl, for cron schedules (no tz database of our own). */

/** Reads an instant's wall-clock fields in `tz`; throws RangeError for an unknown zone. */
export function zoneFormatter(tz: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
}

/** Offset of the formatter's zone from UTC at an instant, in ms (0 without a formatter: UTC). */
export function offsetAt(fmt: Intl.DateTimeFormat | undefined, ms: number): number {
  if (!fmt) return 0;
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second']));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** True for the names that mean UTC without a zone lookup ('' is Go's LoadLocation("") = UTC). */
export const isUtc = (tz: string | undefined): boolean => !tz || tz === 'UTC' || tz === 'Etc/UTC';

/** Offset of `tz` from UTC at an instant, in ms (0 for UTC or an unknown zone). */
export function zoneOffsetMs(tz: string | undefined, ms: number): number {
  if (isUtc(tz)) return 0;
  try {
    return offsetAt(zoneFormatter(tz ?? ''), ms);
  } catch {
    return 0; // an unknown zone was reported by the schedule's parser already
  }
}
