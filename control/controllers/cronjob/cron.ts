/**
 * Cron schedules as CronJobs read them (robfig/cron/v3 ParseStandard): five fields
 * `minute hour day-of-month month day-of-week` with `*`, `?`, ranges, steps, lists and
 * month/day names; the descriptors @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly
 * and `@every <duration>`; an optional `CRON_TZ=`/`TZ=` prefix (or a timeZone given by the
 * caller). `next(after)` returns the first activation strictly after `after`. PURE.
 *
 * Day matching follows cron (and robfig): when both day-of-month and day-of-week are restricted,
 * either may match; when one is `*`, both must.
 */

export interface Schedule { next(after: Date): Date }

interface Field { min: number; max: number; names?: Readonly<Record<string, number>> }
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: readonly Field[] = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

export class CronParseError extends Error {
  constructor(message: string) { super(message); this.name = 'CronParseError'; }
}

interface Bits { set: Set<number>; star: boolean }

function parseNumber(s: string, f: Field): number {
  const named = f.names?.[s.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(s)) throw new CronParseError(`failed to parse int from ${s}`);
  return Number(s);
}

function parseField(text: string, f: Field): Bits {
  const bits: Bits = { set: new Set(), star: false };
  for (const expr of text.split(',')) {
    const [range = '', stepText, extra] = expr.split('/');
    if (extra !== undefined) throw new CronParseError(`too many slashes: ${expr}`);
    const lh = range.split('-');
    let start: number;
    let end: number;
    let star = false;
    if (lh[0] === '*' || lh[0] === '?') {
      if (lh.length > 1) throw new CronParseError(`too many hyphens: ${expr}`);
      [start, end, star] = [f.min, f.max, true];
    } else {
      if (lh.length > 2) throw new CronParseError(`too many hyphens: ${expr}`);
      start = parseNumber(lh[0] ?? '', f);
      end = lh.length === 2 ? parseNumber(lh[1] ?? '', f) : start;
    }
    let step = 1;
    if (stepText !== undefined) {
      step = parseNumber(stepText, { min: 0, max: 0 });
      if (lh.length === 1) end = f.max;
      if (step > 1) star = false;
    }
    if (start < f.min) throw new CronParseError(`beginning of range (${start}) below minimum (${f.min}): ${expr}`);
    if (end > f.max) throw new CronParseError(`end of range (${end}) above maximum (${f.max}): ${expr}`);
    if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
    if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
    for (let i = start; i <= end; i += step) bits.set.add(i);
    bits.star ||= star;
  }
  return bits;
}

/** Go time.ParseDuration for the forms CronJobs use ("90s", "1h30m", "1.5h"), in ms. */
function parseDuration(s: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(s)) !== null) { total += Number(m[1]) * (units[m[2] ?? ''] ?? 0); pos = re.lastIndex; }
  if (s === '' || pos !== s.length) throw new CronParseError(`failed to parse duration @every ${s}`);
  return total;
}

/** Wall-clock fields of an instant in a time zone ('' or 'UTC' = UTC). */
interface Wall { y: number; mo: number; d: number; h: number; mi: number }

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
}

/** Offset of `tz` from UTC at an instant, in ms (0 for UTC or an unknown zone). */
export function zoneOffsetMs(tz: string | undefined, ms: number): number {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') return 0;
  try { return offsetAt(zoneFormatter(tz), ms); } catch { return 0; } // an unknown zone was reported by parseSchedule already
}

function offsetAt(fmt: Intl.DateTimeFormat | undefined, ms: number): number {
  if (!fmt) return 0;
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second']));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

class CronSchedule implements Schedule {
  constructor(private readonly f: Bits[], private readonly zone: Intl.DateTimeFormat | undefined) {}

  private dayMatches(t: Date): boolean {
    const [, , dom, , dow] = this.f as [Bits, Bits, Bits, Bits, Bits];
    const a = dom.set.has(t.getUTCDate());
    const b = dow.set.has(t.getUTCDay());
    return dom.star || dow.star ? a && b : a || b;
  }

  next(after: Date): Date {
    const [min, hour, , month] = this.f as [Bits, Bits, Bits, Bits, Bits];
    // search wall time (kept in a UTC Date) from the minute after `after`
    let wallMs = Math.floor((after.getTime() + offsetAt(this.zone, after.getTime())) / 60_000) * 60_000 + 60_000;
    const limit = new Date(wallMs).getUTCFullYear() + 5;
    for (;;) {
      const t = new Date(wallMs);
      if (t.getUTCFullYear() > limit) throw new CronParseError('no activation within five years');
      if (!month.set.has(t.getUTCMonth() + 1)) { wallMs = Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1); continue; }
      if (!this.dayMatches(t)) { wallMs = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1); continue; }
      if (!hour.set.has(t.getUTCHours())) { wallMs = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours() + 1); continue; }
      if (!min.set.has(t.getUTCMinutes())) { wallMs += 60_000; continue; }
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
  constructor(private readonly ms: number) {}
  next(after: Date): Date { return new Date(Math.floor(after.getTime() / 1000) * 1000 + this.ms); }
}

/** Parse a schedule; `timeZone` (an IANA name) applies unless the spec carries CRON_TZ=/TZ=. */
export function parseSchedule(spec: string, timeZone?: string): Schedule {
  let s = spec.trim();
  let tz = timeZone;
  const m = /^(?:CRON_TZ|TZ)=(\S+)\s*(.*)$/.exec(s);
  if (m) { tz = m[1]; s = m[2] ?? ''; }
  let zone: Intl.DateTimeFormat | undefined;
  if (tz && tz !== 'UTC' && tz !== 'Etc/UTC') {
    try { zone = zoneFormatter(tz); } catch (err) { throw new CronParseError(`provided bad location ${tz}: ${err instanceof Error ? err.message : String(err)}`); }
  }
  if (s === '') throw new CronParseError('empty spec string');
  if (s.startsWith('@every ')) {
    const ms = Math.max(1000, Math.floor(parseDuration(s.slice(7).trim()) / 1000) * 1000);
    return new EverySchedule(ms);
  }
  if (s.startsWith('@')) {
    const d = DESCRIPTORS[s];
    if (!d) throw new CronParseError(`unrecognized descriptor: ${s}`);
    s = d;
  }
  const parts = s.split(/\s+/);
  if (parts.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  return new CronSchedule(parts.map((p, i) => parseField(p, FIELDS[i]!)), zone);
}
