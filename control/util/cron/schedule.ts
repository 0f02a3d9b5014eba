/**
 * Activation times of a parsed cron schedule (robfig SpecSchedule.Next / ConstantDelaySchedule):
 * `next(after)` is the first activation strictly after `after`, searched in the schedule's wall
 * clock (UTC unless it names a zone; a wall time skipped by a DST gap is skipped, a repeated one
 * fires once). Day matching follows cron: when both day-of-month and day-of-week are restricted,
 * either may match; when one is `*`, both must. PURE.
 */
import { parseCron } from './cron-spec.js';
import type { CronField, CronSpec, ParseCronOptions } from './cron-spec.js';
import { isUtc, offsetAt, zoneFormatter } from './time-zone.js';

export interface Schedule { next(after: Date): Date }

type FieldSpec = Extract<CronSpec, { kind: 'fields' }>;

class CronSchedule implements Schedule {
  private readonly zone: Intl.DateTimeFormat | undefined;
  constructor(private readonly s: FieldSpec) {
    this.zone = isUtc(s.timeZone) ? undefined : zoneFormatter(s.timeZone ?? '');
  }

  private dayMatches(t: Date): boolean {
    const { dom, dow } = this.s;
    const a = dom.values.has(t.getUTCDate());
    const b = dow.values.has(t.getUTCDay());
    return dom.star || dow.star ? a && b : a || b;
  }

  next(after: Date): Date {
    const { minute, hour, month } = this.s;
    const has = (f: CronField, v: number) => f.values.has(v);
    // search wall time (kept in a UTC Date) from the minute after `after`
    let wallMs = Math.floor((after.getTime() + offsetAt(this.zone, after.getTime())) / 60_000) * 60_000 + 60_000;
    const limit = new Date(wallMs).getUTCFullYear() + 5;
    for (;;) {
      const t = new Date(wallMs);
      if (t.getUTCFullYear() > limit) throw new Error('cron schedule: no activation within five years');
      if (!has(month, t.getUTCMonth() + 1)) { wallMs = Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1); continue; }
      if (!this.dayMatches(t)) { wallMs = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1); continue; }
      if (!has(hour, t.getUTCHours())) { wallMs = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours() + 1); continue; }
      if (!has(minute, t.getUTCMinutes())) { wallMs += 60_000; continue; }
      const instant = this.toInstant(wallMs);
      // a wall time skipped by a DST gap, or one repeated before `after`: keep looking
      if (instant === undefined || instant <= after.getTime()) { wallMs += 60_000; continue; }
      return new Date(instant);
    }
  }

  /** The earliest instant showing wall time `wallMs`, or undefined inside a DST gap. */
  private toInstant(wallMs: number): number | undefined {
    if (!this.zone) return wallMs;
    const candidates = [wallMs - offsetAt(this.zone, wallMs - 14 * 3_600_000), wallMs - offsetAt(this.zone, wallMs + 14 * 3_600_000)].sort((a, b) => a - b);
    for (const c of candidates) if (c + offsetAt(this.zone, c) === wallMs) return c;
    return undefined;
  }
}

class EverySchedule implements Schedule {
  constructor(private readonly delayMs: number) {}
  next(after: Date): Date { return new Date(Math.floor(after.getTime() / 1000) * 1000 + this.delayMs); }
}

/** Parses `spec` (see parseCron; `timeZone` applies unless the spec carries TZ=/CRON_TZ=); throws CronParseError. */
export function parseSchedule(spec: string, opts: ParseCronOptions = {}): Schedule {
  const s = parseCron(spec, opts);
  return s.kind === 'every' ? new EverySchedule(s.delayMs) : new CronSchedule(s);
}
